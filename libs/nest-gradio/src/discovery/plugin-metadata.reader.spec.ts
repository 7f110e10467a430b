// This file is compiled with the compiler plugin (jest.config.js), as an app built with `nest build` would be: the
// endpoints below get their schemas from their TypeScript types and JSDoc.
import { Arg } from '../decorators/arg.decorator.js';
import { Ctx } from '../decorators/ctx.decorator.js';
import { GradioApi } from '../decorators/gradio-api.decorator.js';
import { FileData } from '../files/file-data.js';
import { GRADIO_PLUGIN_METADATA_FACTORY } from '../kernel/gradio.constants.js';
import type { EventContext } from '../options/event-context.interface.js';
import type { GradioApiOptions } from '../options/gradio-api-options.interface.js';
import { Int } from '../schema/type-spec.js';
import { createEndpoint } from './endpoint.factory.js';
import { GradioMetadataAccessor } from './gradio-metadata.accessor.js';
import { readPluginMetadata } from './plugin-metadata.reader.js';

type Mode = 'fast' | 'slow';
interface Point {
  /** Across. */
  x: number;
  y?: Int;
}

class Typed {
  /**
   * Sum a list.
   * @param values The numbers.
   * @param mode How.
   * @returns The total.
   */
  @GradioApi()
  sum(values: Int[], mode: Mode = 'fast', point?: Point | null, @Ctx() ctx?: EventContext): Int {
    void ctx;
    return values.reduce((total, value) => total + value, point?.x ?? 0) + (mode === 'fast' ? 0 : 1);
  }

  @GradioApi({ description: 'Explicit.', returns: String })
  explicit(@Arg('renamed', { type: Int, description: 'Given.' }) value: string[]): Promise<[Int, string]> {
    return Promise.resolve([value.length, '']);
  }

  /** Two outputs. */
  @GradioApi()
  async pair(file: FileData): Promise<[Int, FileData[]]> {
    return [1, [file]];
  }

  @GradioApi()
  async *stream(text: string): AsyncGenerator<Int> {
    yield text.length;
  }
}

class Sub extends Typed {}

function endpointOf(instance: object, methodName: string) {
  const metadata = new GradioMetadataAccessor();
  const options = metadata.apiOptions((instance as Record<string, object>)[methodName]) as GradioApiOptions;
  return createEndpoint(instance, methodName, options, {
    id: 0,
    takenNames: new Set(),
    defaultConcurrencyLimit: 1,
    metadata,
  });
}

describe('endpoints of a class compiled with the plugin', () => {
  it('take names, types, optionality, defaults and descriptions from the signature and JSDoc', () => {
    const endpoint = endpointOf(new Typed(), 'sum');
    expect(endpoint.description).toBe('Sum a list.');
    expect(endpoint.apiDescription).toBe('Sum a list.');
    expect(endpoint.parameters.map(({ check: _check, ...parameter }) => parameter)).toEqual([
      {
        position: 0,
        name: 'values',
        schema: { type: 'array', items: { type: 'integer' } },
        description: 'The numbers.',
        hasDefault: false,
        defaultValue: null,
        dto: undefined,
      },
      {
        position: 1,
        name: 'mode',
        schema: { enum: ['fast', 'slow'] },
        description: 'How.',
        hasDefault: true,
        defaultValue: 'fast',
        dto: undefined,
      },
      {
        position: 2,
        name: 'point',
        schema: {
          oneOf: [
            { type: 'null' },
            {
              type: 'object',
              properties: { x: { type: 'number', description: 'Across.' }, y: { type: 'integer' } },
              required: ['x'],
            },
          ],
        },
        description: undefined,
        hasDefault: true,
        defaultValue: null,
        dto: undefined,
      },
    ]);
    expect(endpoint.outputs).toEqual([{ schema: { type: 'integer', description: 'The total.' } }]);
    expect(endpoint.parameters[1]?.check('slow', 'mode')).toBeUndefined();
    expect(endpoint.parameters[1]?.check('medium', 'mode')).toBeDefined();
  });

  it('let explicit @Arg and returns options win', () => {
    const endpoint = endpointOf(new Typed(), 'explicit');
    expect(endpoint.description).toBe('Explicit.');
    expect(endpoint.parameters[0]).toMatchObject({
      name: 'renamed',
      schema: { type: 'integer' },
      description: 'Given.',
    });
    expect(endpoint.outputs).toEqual([{ schema: { type: 'string' } }]);
  });

  it("make a tuple several outputs, FileData files, and a generator's items the stream type", () => {
    const pair = endpointOf(new Typed(), 'pair');
    const file = FileData as unknown as { name: string };
    expect(file.name).toBe('FileData');
    expect(pair.parameters[0]?.schema).toMatchObject({
      properties: { meta: { properties: { _type: { const: 'gradio.FileData' } } } },
    });
    expect(pair.outputs.map((output) => output.schema.type)).toEqual(['integer', 'array']);
    expect((pair.outputs[1]?.schema.items as { properties: object }).properties).toHaveProperty('path');
    const stream = endpointOf(new Typed(), 'stream');
    expect(stream.generator).toBe(true);
    expect(stream.outputs).toEqual([{ schema: { type: 'integer' } }]);
  });

  it('are read through subclasses, and not for classes the plugin did not compile', () => {
    expect(readPluginMetadata(Sub.prototype, 'sum')?.description).toBe('Sum a list.');
    class Plain {}
    Object.defineProperty(Plain.prototype, 'sum', { value: () => 1 });
    expect(readPluginMetadata(Plain.prototype, 'sum')).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Typed, GRADIO_PLUGIN_METADATA_FACTORY)).toBe(true);
  });
});
