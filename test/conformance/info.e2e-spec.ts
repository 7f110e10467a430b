// `GET /gradio_api/info` (docs/protocol.md#api-info) and `GET /gradio_api/openapi.json` (docs/protocol.md#routes).
import { Injectable } from '@nestjs/common';
import { IsInt, IsNumber } from 'class-validator';
import { Any, Arg, dictOf, GradioApi, Int, literal, nullable, tupleOf, unionOf } from 'nest-gradio';
import { getJson } from '../support/protocol.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

class Point {
  @IsInt()
  x!: number;

  @IsNumber()
  y!: number;
}

@Injectable()
class InfoProbe {
  @GradioApi({ name: 'hello' })
  hello(name: string): string {
    return `Hello, ${name}!`;
  }

  @GradioApi({ name: 'add_and_slice', description: 'Add and slice.', outputs: [Int, String] })
  addAndSlice(a: Int, b: Int, @Arg({ type: [String] }) c: string[]): [number, string] {
    return [a + b, c.slice(a, b).join('')];
  }

  @GradioApi({ name: 'defaults', returns: dictOf(Int) })
  defaults(
    x: number = 1.5,
    @Arg({ type: nullable(String) }) y: string | null = null,
    z: boolean = false,
    @Arg({ type: literal('a', 'b') }) w: string = 'a',
  ): Record<string, number> {
    return { x, y: y === null ? 0 : 1, z: Number(z), w: w.length };
  }

  @GradioApi({ name: 'optional_without_default' })
  optionalWithoutDefault(@Arg({ type: nullable(Int) }) n: number | null): string {
    return String(n);
  }

  @GradioApi({ name: 'gen' })
  async *gen(prompt: string): AsyncGenerator<string> {
    yield prompt;
  }

  @GradioApi({ name: 'types', returns: Boolean })
  types(
    s: string,
    i: Int,
    f: number,
    b: boolean,
    any: Any,
    list: unknown[],
    @Arg({ type: [String] }) strings: string[],
    @Arg({ type: tupleOf(Int, String) }) pair: [number, string],
    @Arg({ type: dictOf(Any) }) dict: Record<string, unknown>,
    @Arg({ type: dictOf(Int) }) counts: Record<string, number>,
    @Arg({ type: literal('x') }) constant: 'x',
    @Arg({ type: literal('a', 'b') }) choice: 'a' | 'b',
    @Arg({ type: literal(1, 2) }) numbers: 1 | 2,
    @Arg({ type: nullable(String) }) maybe: string | null,
    @Arg({ type: unionOf(Int, String) }) either: number | string,
    @Arg({ type: unionOf(Int, String, { type: 'null' }) }) eitherOrNone: number | string | null,
    point: Point,
  ): boolean {
    const all = [s, i, f, b, any, list, strings, pair, dict, counts, constant, choice, numbers, maybe, either];
    return [...all, eitherOrNone, point].length > 0;
  }

  @GradioApi({ name: 'ordinals' })
  ordinals(
    p1: Int,
    p2: Int,
    p3: Int,
    p4: Int,
    p5: Int,
    p6: Int,
    p7: Int,
    p8: Int,
    p9: Int,
    p10: Int,
    p11: Int,
    p12: Int,
    p13: Int,
  ): Int {
    return [p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13].reduce((sum, value) => sum + value, 0);
  }

  @GradioApi({ name: 'hidden', apiVisibility: 'undocumented', description: 'Not listed.' })
  hidden(): string {
    return 'hidden';
  }

  @GradioApi({ name: 'secret', apiVisibility: 'private' })
  secret(): string {
    return 'secret';
  }
}

type Info = { named_endpoints: Record<string, Record<string, unknown>>; unnamed_endpoints: unknown };
type Parameter = Record<string, unknown> & { type: unknown; python_type: { type: string; description: string } };

const PARAMETER_KEYS = [
  'label',
  'parameter_name',
  'parameter_has_default',
  'parameter_default',
  'type',
  'python_type',
  'component',
  'example_input',
];
const RETURN_KEYS = ['label', 'type', 'python_type', 'component'];

describe('conformance: /gradio_api/info and openapi.json', () => {
  let app: RunningApp;
  let info: Info;

  const endpoint = (name: string): Record<string, unknown> =>
    info.named_endpoints[`/${name}`] as Record<string, unknown>;
  const parameters = (name: string): Parameter[] => endpoint(name)['parameters'] as Parameter[];

  beforeAll(async () => {
    app = await startGradioApp({}, [InfoProbe]);
    const { status, json } = await getJson(`${app.url}/gradio_api/info`);
    expect(status).toBe(200);
    info = json as Info;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('/info has named_endpoints keyed "/<api_name>" and unnamed_endpoints {}', () => {
    expect(Object.keys(info)).toEqual(['named_endpoints', 'unnamed_endpoints']);
    expect(info.unnamed_endpoints).toEqual({});
    expect(Object.keys(info.named_endpoints)).toEqual([
      '/hello',
      '/add_and_slice',
      '/defaults',
      '/optional_without_default',
      '/gen',
      '/types',
      '/ordinals',
    ]);
    expect(Object.keys(endpoint('hello'))).toEqual([
      'parameters',
      'returns',
      'api_visibility',
      'description',
      'code_snippets',
    ]);
  });

  it('each parameter has exactly the keys label … example_input, in order, with component "Api"', () => {
    for (const [name, value] of Object.entries(info.named_endpoints)) {
      for (const parameter of value['parameters'] as Parameter[]) {
        expect([name, Object.keys(parameter)]).toEqual([name, PARAMETER_KEYS]);
        expect(Object.keys(parameter.python_type)).toEqual(['type', 'description']);
        expect(parameter['component']).toBe('Api');
      }
    }
    // docs/protocol.md#api-info, the `hello` example, field for field.
    expect(parameters('hello')).toEqual([
      {
        label: '1st',
        parameter_name: 'name',
        parameter_has_default: false,
        parameter_default: null,
        type: { type: 'string' },
        python_type: { type: 'str', description: '' },
        component: 'Api',
        example_input: '...',
      },
    ]);
  });

  it('each return has exactly label, type, python_type{type, description}, component "Api"', () => {
    for (const [name, value] of Object.entries(info.named_endpoints)) {
      for (const output of value['returns'] as Record<string, unknown>[]) {
        expect([name, Object.keys(output)]).toEqual([name, RETURN_KEYS]);
        expect(Object.keys(output['python_type'] as object)).toEqual(['type', 'description']);
        expect(output['component']).toBe('Api');
      }
    }
    // docs/protocol.md#api-info, the `add_and_slice` example (two outputs from the tuple return).
    expect(endpoint('add_and_slice')['returns']).toEqual([
      { label: '1st', type: { type: 'integer' }, python_type: { type: 'int', description: '' }, component: 'Api' },
      { label: '2nd', type: { type: 'string' }, python_type: { type: 'str', description: '' }, component: 'Api' },
    ]);
    // The compiler plugin reads the items a generator yields (`AsyncGenerator<string>`), which Gradio's twin writes
    // as the return annotation (`-> str`).
    expect(endpoint('gen')['returns']).toEqual([
      { label: '1st', type: { type: 'string' }, python_type: { type: 'str', description: '' }, component: 'Api' },
    ]);
  });

  it('labels are 1st, 2nd, 3rd, 4th, … 11th, 12th, 13th; example_input is the default or "..."', () => {
    expect(parameters('ordinals').map((parameter) => parameter['label'])).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '5th',
      '6th',
      '7th',
      '8th',
      '9th',
      '10th',
      '11th',
      '12th',
      '13th',
    ]);
    expect(parameters('add_and_slice').map((parameter) => parameter['label'])).toEqual(['1st', '2nd', '3rd']);
    expect(parameters('defaults').map((parameter) => parameter['example_input'])).toEqual([1.5, '...', false, 'a']);
    expect(parameters('ordinals').every((parameter) => parameter['example_input'] === '...')).toBe(true);
  });

  it('a null default gives parameter_has_default true, parameter_default null; Optional without default is required', () => {
    // docs/protocol.md#api-info, the `defaults` example, field for field.
    expect({ parameters: parameters('defaults'), returns: endpoint('defaults')['returns'] }).toEqual({
      parameters: [
        {
          label: '1st',
          parameter_name: 'x',
          parameter_has_default: true,
          parameter_default: 1.5,
          type: { type: 'number' },
          python_type: { type: 'float', description: '' },
          component: 'Api',
          example_input: 1.5,
        },
        {
          label: '2nd',
          parameter_name: 'y',
          parameter_has_default: true,
          parameter_default: null,
          type: { oneOf: [{ type: 'null' }, { type: 'string' }] },
          python_type: { type: 'None | str', description: '' },
          component: 'Api',
          example_input: '...',
        },
        {
          label: '3rd',
          parameter_name: 'z',
          parameter_has_default: true,
          parameter_default: false,
          type: { type: 'boolean' },
          python_type: { type: 'bool', description: '' },
          component: 'Api',
          example_input: false,
        },
        {
          label: '4th',
          parameter_name: 'w',
          parameter_has_default: true,
          parameter_default: 'a',
          type: { enum: ['a', 'b'] },
          python_type: { type: "Literal['a', 'b']", description: '' },
          component: 'Api',
          example_input: 'a',
        },
      ],
      returns: [
        {
          label: '1st',
          type: { type: 'object', additionalProperties: { type: 'integer' } },
          python_type: { type: 'dict(str, int)', description: '' },
          component: 'Api',
        },
      ],
    });
    expect(parameters('optional_without_default')).toEqual([
      expect.objectContaining({
        parameter_name: 'n',
        parameter_has_default: false,
        parameter_default: null,
        example_input: '...',
      }),
    ]);
  });

  it('types map to the JSON schemas and python_type strings of docs/protocol.md#python-types', () => {
    const expected: [unknown, string][] = [
      [{ type: 'string' }, 'str'],
      [{ type: 'integer' }, 'int'],
      [{ type: 'number' }, 'float'],
      [{ type: 'boolean' }, 'bool'],
      [{}, 'Any'],
      [{ type: 'array', items: {} }, 'list[Any]'],
      [{ type: 'array', items: { type: 'string' } }, 'list[str]'],
      [
        { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string' }], minItems: 2, maxItems: 2 },
        'tuple[int, str]',
      ],
      [{ type: 'object', additionalProperties: {} }, 'dict(str, Any)'],
      [{ type: 'object', additionalProperties: { type: 'integer' } }, 'dict(str, int)'],
      [{ const: 'x' }, 'Literal[x]'],
      [{ enum: ['a', 'b'] }, "Literal['a', 'b']"],
      [{ enum: [1, 2] }, "Literal['1', '2']"],
      [{ oneOf: [{ type: 'null' }, { type: 'string' }] }, 'None | str'],
      [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }, 'int | str'],
      [{ anyOf: [{ type: 'integer' }, { type: 'string' }, { type: 'null' }] }, 'int | str | None'],
      [
        { type: 'object', properties: { x: { type: 'integer' }, y: { type: 'number' } }, required: ['x', 'y'] },
        'dict(x: int, y: float)',
      ],
    ];
    const actual = parameters('types').map((parameter) => [parameter.type, parameter.python_type.type]);
    expect(actual).toEqual(expected);
    expect(endpoint('types')['returns']).toEqual([
      { label: '1st', type: { type: 'boolean' }, python_type: { type: 'bool', description: '' }, component: 'Api' },
    ]);
  });

  it('description is the explicit description, else "" (TypeScript keeps no docstrings at run time)', () => {
    expect(endpoint('add_and_slice')['description']).toBe('Add and slice.');
    expect(endpoint('hello')['description']).toBe('');
  });

  it('undocumented endpoints appear only with ?all_endpoints=True; private ones never', async () => {
    expect(info.named_endpoints).not.toHaveProperty(['/hidden']);
    expect(info.named_endpoints).not.toHaveProperty(['/secret']);
    const all = (await getJson(`${app.url}/gradio_api/info?all_endpoints=True`)).json as Info;
    expect(all.named_endpoints['/hidden']).toMatchObject({
      api_visibility: 'undocumented',
      description: 'Not listed.',
    });
    expect(all.named_endpoints).not.toHaveProperty(['/secret']);
    expect(all.named_endpoints['/hello']).toEqual({
      parameters: endpoint('hello')['parameters'],
      returns: endpoint('hello')['returns'],
      api_visibility: 'public',
      description: '',
    });
    // Any non-empty value counts as true, as in Gradio.
    const falsy = (await getJson(`${app.url}/gradio_api/info?all_endpoints=false`)).json as Info;
    expect(falsy.named_endpoints).toHaveProperty(['/hidden']);
  });

  it('/info ignores unknown query parameters such as serialize=False', async () => {
    const { status, json } = await getJson(`${app.url}/gradio_api/info?serialize=False&foo=bar`);
    expect(status).toBe(200);
    expect(json).toEqual(info);
  });

  it('/gradio_api/openapi.json is OpenAPI 3.0.2 with call/v2 POST and call/{name}/{event_id} GET per endpoint', async () => {
    const { status, json } = await getJson(`${app.url}/gradio_api/openapi.json`);
    expect(status).toBe(200);
    const document = json as { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>> };
    expect(document.openapi).toBe('3.0.2');
    for (const name of ['hello', 'add_and_slice', 'defaults', 'optional_without_default', 'gen', 'types', 'ordinals']) {
      expect(document.paths[`/gradio_api/call/v2/${name}`]?.['post']).toMatchObject({ operationId: name });
      expect(document.paths[`/gradio_api/call/${name}/{event_id}`]?.['get']).toMatchObject({
        operationId: `${name}_get`,
      });
    }
    // Gradio 6.31 documents public endpoints only (captures/NOTES.md #8; test/parity compares with the real one).
    expect(Object.keys(document.paths).some((path) => /hidden|secret/.test(path))).toBe(false);
    const add = document.paths['/gradio_api/call/v2/add_and_slice']?.['post'] as Record<string, unknown>;
    expect(JSON.stringify(add['requestBody'])).toContain(
      '"properties":{"a":{"type":"integer"},"b":{"type":"integer"},"c":',
    );
    // The prose is ours (test/parity/parity-differences.ts); it still names where the result is fetched.
    expect(add['description']).toContain('`GET /gradio_api/call/add_and_slice/{event_id}`');
  });
});
