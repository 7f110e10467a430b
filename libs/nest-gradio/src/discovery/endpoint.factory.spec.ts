import { Arg } from '../decorators/arg.decorator.js';
import { Ctx } from '../decorators/ctx.decorator.js';
import { GradioApi } from '../decorators/gradio-api.decorator.js';
import type { EventContext } from '../options/event-context.interface.js';
import { Int } from '../schema/type-spec.js';
import type { GradioApiOptions } from '../options/gradio-api-options.interface.js';
import { createEndpoint } from './endpoint.factory.js';
import { GradioMetadataAccessor } from './gradio-metadata.accessor.js';

function endpointOf(instance: object, methodName: string, taken: string[] = [], defaultLimit: number | null = 1) {
  const metadata = new GradioMetadataAccessor();
  const options = metadata.apiOptions((instance as Record<string, object>)[methodName]);
  return createEndpoint(instance, methodName, options, {
    id: 0,
    takenNames: new Set(taken),
    defaultConcurrencyLimit: defaultLimit,
    metadata,
  });
}

class Calculator {
  @GradioApi()
  add(a: Int, b: Int): Int {
    return a + b;
  }

  @GradioApi({ name: 'slow_echo', concurrencyLimit: null, timeLimit: 5 })
  async slowEcho(
    @Arg({ description: 'What to echo' }) text: string,
    seconds = 1,
    @Ctx() ctx?: EventContext,
  ): Promise<string> {
    return `${text}:${seconds}:${ctx?.eventId}`;
  }

  @GradioApi({ outputs: [Int, [String]] })
  pair(@Arg('first', { type: Int, default: 2 }) value: number): [number, string[]] {
    return [value, []];
  }

  @GradioApi({ returns: Int })
  async *count(n: Int): AsyncGenerator<number> {
    yield n;
  }

  @GradioApi()
  untyped(value: unknown) {
    return value;
  }
}

describe('createEndpoint', () => {
  const calculator = new Calculator();

  it('names parameters from the source and types them from design:paramtypes', () => {
    const add = endpointOf(calculator, 'add');
    expect(add.apiName).toBe('add');
    expect(add.parameters.map(({ name, schema, hasDefault }) => ({ name, schema, hasDefault }))).toEqual([
      { name: 'a', schema: { type: 'integer' }, hasDefault: false },
      { name: 'b', schema: { type: 'integer' }, hasDefault: false },
    ]);
    expect(add.outputs).toEqual([{ schema: { type: 'integer' } }]);
    expect(add.concurrencyLimit).toBe(1);
    expect(add.generator).toBe(false);
  });

  it('takes defaults from the source, descriptions from @Arg, and keeps @Ctx out of the API parameters', () => {
    const echo = endpointOf(calculator, 'slowEcho');
    expect(echo.apiName).toBe('slow_echo');
    expect(
      echo.parameters.map(({ name, description, hasDefault, defaultValue }) => ({
        name,
        description,
        hasDefault,
        defaultValue,
      })),
    ).toEqual([
      { name: 'text', description: 'What to echo', hasDefault: false, defaultValue: null },
      { name: 'seconds', description: undefined, hasDefault: true, defaultValue: 1 },
    ]);
    expect(echo.concurrencyLimit).toBeNull();
    expect(echo.timeLimit).toBe(5);
  });

  it('passes the context where @Ctx() asked for it', async () => {
    const echo = endpointOf(calculator, 'slowEcho');
    await expect(echo.invoke(['hi', 2], { eventId: 'e1' } as EventContext)).resolves.toBe('hi:2:e1');
  });

  it('honours an explicit name, type and default from @Arg, and several outputs', () => {
    const pair = endpointOf(calculator, 'pair');
    expect(pair.parameters[0]).toMatchObject({
      name: 'first',
      schema: { type: 'integer' },
      hasDefault: true,
      defaultValue: 2,
    });
    expect(pair.outputs.map((output) => output.schema)).toEqual([
      { type: 'integer' },
      { type: 'array', items: { type: 'string' } },
    ]);
  });

  it('detects generator methods and takes their item type from returns', () => {
    const count = endpointOf(calculator, 'count');
    expect(count.generator).toBe(true);
    expect(count.outputs).toEqual([{ schema: { type: 'integer' } }]);
  });

  it('gives untyped parameters and returns the "any" schema', () => {
    const untyped = endpointOf(calculator, 'untyped');
    expect(untyped.parameters[0]?.schema).toEqual({});
    expect(untyped.outputs).toEqual([{ schema: {} }]);
  });

  it('renames a taken name with a suffix', () => {
    expect(endpointOf(calculator, 'add', ['add']).apiName).toBe('add_1');
  });

  it('applies the app-wide default concurrency limit', () => {
    expect(endpointOf(calculator, 'add', [], 3).concurrencyLimit).toBe(3);
  });
});

describe('createEndpoint bootstrap errors name the class and the method', () => {
  function failureOf(options: GradioApiOptions, method?: (...args: never[]) => unknown): string {
    class Broken {}
    Object.defineProperty(Broken.prototype, 'handler', { value: method ?? ((_a: string) => _a), writable: true });
    try {
      createEndpoint(new Broken(), 'handler', options, {
        id: 0,
        takenNames: new Set(),
        defaultConcurrencyLimit: 1,
        metadata: new GradioMetadataAccessor(),
      });
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  }

  it.each([
    [{ concurrencyLimit: 0 }, 'concurrencyLimit must be a positive integer; got 0.'],
    [{ concurrencyLimit: 1.5 }, 'concurrencyLimit must be a positive integer; got 1.5.'],
    [{ maxBatchSize: -1 }, 'maxBatchSize must be a positive integer; got -1.'],
    [{ timeLimit: 0 }, 'timeLimit must be a positive number of seconds; got 0.'],
    [{ apiVisibility: 'hidden' as never }, 'apiVisibility must be one of public, undocumented, private; got "hidden".'],
    [{ name: 'a/b' }, `the name "a/b" must not contain whitespace, '/', '?', '#', '%' or '\\'.`],
    [{ name: '' }, 'name must be a non-empty string.'],
    [{ returns: String, outputs: [String] }, 'give either returns or outputs, not both.'],
  ])('%j', (options, problem) => {
    expect(failureOf(options)).toBe(`Invalid @GradioApi() on Broken.handler: ${problem}`);
  });

  it('a batch generator', () => {
    expect(
      failureOf({ batch: true }, async function* (_a: string) {
        yield _a;
      }),
    ).toBe('Invalid @GradioApi() on Broken.handler: a batch endpoint cannot be a generator (Gradio rejects it too).');
  });

  it('a parameter whose name cannot be read', () => {
    expect(failureOf({}, ({ x }: { x: number }) => x)).toBe(
      "Invalid @GradioApi() on Broken.handler: parameter 1 has no name that can be read from the source; name it with @Arg('name').",
    );
  });

  it('a rest parameter', () => {
    expect(failureOf({}, (...args: string[]) => args)).toBe(
      'Invalid @GradioApi() on Broken.handler: rest parameters (...args) cannot be API parameters.',
    );
  });

  it('@GradioApi applied twice', () => {
    expect(() => {
      class Twice {
        @GradioApi()
        @GradioApi()
        twice(): void {}
      }
      return Twice;
    }).toThrow('@GradioApi() is applied twice to Twice.twice.');
  });

  it('two decorators on one parameter', () => {
    expect(() => {
      class Clash {
        @GradioApi()
        clash(@Arg() @Ctx() _value: string): void {}
      }
      return Clash;
    }).toThrow('Parameter 1 of Clash.clash has more than one nest-gradio decorator.');
  });
});
