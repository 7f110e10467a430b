import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { GRADIO_PLUGIN_METADATA_FACTORY } from '../kernel/gradio.constants.js';
import { before } from './index.js';

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  strict: true,
  skipLibCheck: true,
  noEmitOnError: false,
  // The plugin reads types as written; without the default libraries each program compiles in milliseconds.
  noLib: true,
  types: [],
};

/** Stand-ins for the library's exports: decorators that do nothing, and FileData as a class. */
class FileData {}
const LIBRARY = {
  GradioApi: () => () => undefined,
  McpTool: () => () => undefined,
  McpResource: () => () => undefined,
  McpPrompt: () => () => undefined,
  Ctx: () => () => undefined,
  Arg: () => () => undefined,
  Int: class Int {},
  Any: class Any {},
  FileData,
};

type Mode = 'program' | 'per-file';

/**
 * Writes the files to a temporary folder, compiles them with the plugin (with a type-checked program, or file by
 * file as ts-jest does) to CommonJS, runs them, and returns the exports of `main.ts`.
 */
function compile(files: Record<string, string>, mode: Mode): Record<string, unknown> {
  const root = mkdtempSync(join(tmpdir(), 'gradio-plugin-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
    const outputs = new Map<string, string>();
    const names = Object.keys(files).map((name) => join(root, name));
    if (mode === 'program') {
      const program = ts.createProgram(names, COMPILER_OPTIONS);
      program.emit(undefined, (fileName, text) => outputs.set(resolve(fileName), text), undefined, false, {
        before: [before({}, program)],
      });
    } else {
      for (const fileName of names) {
        const { outputText } = ts.transpileModule(files[fileName.slice(root.length + 1)] as string, {
          compilerOptions: { ...COMPILER_OPTIONS, isolatedModules: true },
          fileName,
          transformers: { before: [before({})] },
        });
        outputs.set(fileName.replace(/\.ts$/, '.js'), outputText);
      }
    }
    const cache = new Map<string, Record<string, unknown>>();
    const load = (fileName: string): Record<string, unknown> => {
      const cached = cache.get(fileName);
      if (cached) return cached;
      const code = outputs.get(fileName);
      if (code === undefined) throw new Error(`not compiled: ${fileName}`);
      const module = { exports: {} as Record<string, unknown> };
      cache.set(fileName, module.exports);
      const require = (specifier: string): unknown => {
        if (!specifier.startsWith('.')) return LIBRARY;
        if (specifier === 'reflect-metadata') return {};
        return load(
          resolve(dirname(fileName), specifier)
            .replace(/\.ts$/, '.js')
            .replace(/(\.js)?$/, '.js'),
        );
      };
      new Function('require', 'module', 'exports', 'Reflect', code)(require, module, module.exports, reflectStub());
      return module.exports;
    };
    return load(join(root, 'main.js'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** `Reflect.metadata` for the emitted decorator metadata, ignored. */
function reflectStub(): typeof Reflect {
  return Object.assign(Object.create(Reflect) as typeof Reflect, { metadata: () => () => undefined });
}

function metadataOf(exports: Record<string, unknown>, className: string): Record<string, Record<string, unknown>> {
  const target = exports[className] as Record<string, () => Record<string, Record<string, unknown>>>;
  const factory = target[GRADIO_PLUGIN_METADATA_FACTORY];
  if (typeof factory !== 'function') throw new Error(`${className} has no plugin metadata`);
  return factory.call(target);
}

const HEADER = `import { GradioApi, McpTool, McpPrompt, McpResource, Ctx, Int, Any, FileData } from 'nest-gradio';\n`;

describe.each<Mode>(['program', 'per-file'])('nest-gradio/plugin (%s)', (mode) => {
  const record = (body: string, extra: Record<string, string> = {}): Record<string, Record<string, unknown>> =>
    metadataOf(compile({ 'main.ts': `${HEADER}${body}`, ...extra }, mode), 'Probe');

  it('records parameter names, primitive types, Int and Any', () => {
    const methods = record(`export class Probe {
      @GradioApi() add(a: Int, b: number, c: string, d: boolean, e: Any, f: unknown): Int { return a; }
    }`);
    expect(methods['add']).toEqual({
      parameters: [
        { name: 'a', type: { type: 'integer' } },
        { name: 'b', type: { type: 'number' } },
        { name: 'c', type: { type: 'string' } },
        { name: 'd', type: { type: 'boolean' } },
        { name: 'e', type: {} },
        { name: 'f', type: {} },
      ],
      outputs: [{ type: 'integer' }],
    });
  });

  it('records arrays, tuples, Record<string, T>, Set and nested generics', () => {
    const methods = record(`export class Probe {
      @GradioApi() shapes(a: string[], b: Array<Int>, c: [Int, string], d: Record<string, number[]>, e: ReadonlyArray<[boolean, string?]>): void {}
    }`);
    expect((methods['shapes'] as { parameters: unknown[] }).parameters).toEqual([
      { name: 'a', type: { type: 'array', items: { type: 'string' } } },
      { name: 'b', type: { type: 'array', items: { type: 'integer' } } },
      {
        name: 'c',
        type: { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string' }], minItems: 2, maxItems: 2 },
      },
      { name: 'd', type: { type: 'object', additionalProperties: { type: 'array', items: { type: 'number' } } } },
      {
        name: 'e',
        type: {
          type: 'array',
          items: { type: 'array', prefixItems: [{ type: 'boolean' }, { type: 'string' }], minItems: 1, maxItems: 2 },
        },
      },
    ]);
    expect(methods['shapes']).not.toHaveProperty('outputs');
  });

  it('records literal unions as enums, | null as a nullable type, and optional and default parameters', () => {
    const methods = record(`export class Probe {
      @GradioApi() pick(mode: 'fast' | 'slow', level: 1 | 2 | 3, flag: true | false, name: string | null, note?: string,
        count: Int = 3, label = 'x', tags: string[] = ['a'], maybe: number | undefined, computed: number = Date.now()): void {}
    }`);
    expect((methods['pick'] as { parameters: unknown[] }).parameters).toEqual([
      { name: 'mode', type: { enum: ['fast', 'slow'] } },
      { name: 'level', type: { enum: [1, 2, 3] } },
      { name: 'flag', type: { type: 'boolean' } },
      { name: 'name', type: { oneOf: [{ type: 'null' }, { type: 'string' }] } },
      { name: 'note', type: { type: 'string' }, optional: true },
      { name: 'count', type: { type: 'integer' }, default: 3, optional: true },
      { name: 'label', type: { type: 'string' }, default: 'x', optional: true },
      { name: 'tags', type: { type: 'array', items: { type: 'string' } }, default: ['a'], optional: true },
      { name: 'maybe', type: { type: 'number' }, optional: true },
      { name: 'computed', type: { type: 'number' }, optional: true },
    ]);
  });

  it('records enums, interfaces, type aliases and type literals as schemas with required', () => {
    const methods = record(`
      enum Color { Red = 'red', Green = 'green' }
      enum Level { Low, High }
      /** A point. */
      interface Point { /** Across. */ x: number; y?: Int }
      interface Point3 extends Point { z: number }
      type Size = 'S' | 'M';
      export class Probe {
        @GradioApi() shape(color: Color, level: Level, point: Point, p3: Point3, size: Size | null, box: { w: number; h?: number },
          one: Color.Red): void {}
      }`);
    expect((methods['shape'] as { parameters: unknown[] }).parameters).toEqual([
      { name: 'color', type: { enum: ['red', 'green'] } },
      { name: 'level', type: { enum: [0, 1] } },
      {
        name: 'point',
        type: {
          type: 'object',
          properties: { x: { type: 'number', description: 'Across.' }, y: { type: 'integer' } },
          required: ['x'],
        },
      },
      {
        name: 'p3',
        type: {
          type: 'object',
          properties: { z: { type: 'number' }, x: { type: 'number', description: 'Across.' }, y: { type: 'integer' } },
          required: ['z', 'x'],
        },
      },
      { name: 'size', type: { oneOf: [{ type: 'null' }, { enum: ['S', 'M'] }] } },
      {
        name: 'box',
        type: { type: 'object', properties: { w: { type: 'number' }, h: { type: 'number' } }, required: ['w'] },
      },
      { name: 'one', type: { const: 'red' } },
    ]);
  });

  it('follows types imported from the project’s other files', () => {
    const methods = record(
      `import { Order } from './order.js';
      export class Probe { @GradioApi() place(order: Order): Order[] { return [order]; } }`,
      { 'order.ts': `export interface Order { id: number; items: string[]; kind: 'a' | 'b' }` },
    );
    const order = {
      type: 'object',
      properties: {
        id: { type: 'number' },
        items: { type: 'array', items: { type: 'string' } },
        kind: { enum: ['a', 'b'] },
      },
      required: ['id', 'items', 'kind'],
    };
    expect(methods['place']).toEqual({
      parameters: [{ name: 'order', type: order }],
      outputs: [{ type: 'array', items: order }],
    });
  });

  it('references validated DTO classes and FileData, so that the run time handles them as before', () => {
    const exports = compile(
      {
        'main.ts': `${HEADER}import { CreateUser } from './create-user.dto.js';
        function IsString(): PropertyDecorator { return () => undefined; }
        export class LocalDto { @IsString() name!: string; }
        export class Plain { a!: number; b?: string; private hidden = 1; }
        export class Probe {
          @GradioApi() make(user: CreateUser, users: CreateUser[], local: LocalDto, plain: Plain, file: FileData, files: FileData[]): FileData { return file; }
        }`,
        'create-user.dto.ts': `function IsString(): PropertyDecorator { return () => undefined; }
        export class CreateUser { @IsString() name!: string; }`,
      },
      mode,
    );
    const make = metadataOf(exports, 'Probe')['make'] as {
      parameters: { type: Record<string, unknown> }[];
      outputs: Record<string, unknown>[];
    };
    const classOf = (schema: Record<string, unknown>): unknown => (schema['$class'] as () => unknown)();
    const [user, users, local, plain, file, files] = make.parameters.map((parameter) => parameter.type);
    expect((classOf(user!) as Function).name).toBe('CreateUser');
    expect((classOf(users!['items'] as Record<string, unknown>) as Function).name).toBe('CreateUser');
    expect(classOf(local!)).toBe(exports['LocalDto']);
    expect(plain).toEqual({
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'string' } },
      required: ['a'],
    });
    expect(classOf(file!)).toBe(FileData);
    expect(classOf(files!['items'] as Record<string, unknown>)).toBe(FileData);
    expect(classOf(make.outputs[0]!)).toBe(FileData);
  });

  it('unwraps Promise, generators, async generators and Observables, and makes tuples several outputs', () => {
    const methods = record(`
      interface Observable<T> { subscribe(next: (value: T) => void): unknown }
      export class Probe {
        @GradioApi() async one(): Promise<string> { return ''; }
        @GradioApi() two(): [Int, string[]] { return [1, []]; }
        @GradioApi() async pair(): Promise<[label: string, score: number]> { return ['', 1]; }
        @GradioApi() async *items(): AsyncGenerator<Int> { yield 1; }
        @GradioApi() *sync(): Generator<string, void, unknown> { yield ''; }
        @GradioApi() watch(): Observable<boolean> { return null!; }
        @GradioApi() async *untyped() { yield 1; }
        @GradioApi() async nothing(): Promise<void> {}
        @GradioApi() named(): Pair { return [1, '']; }
      }
      type Pair = [Int, string];`);
    expect(methods['one']).toEqual({ parameters: [], outputs: [{ type: 'string' }] });
    expect(methods['two']).toEqual({
      parameters: [],
      outputs: [{ type: 'integer' }, { type: 'array', items: { type: 'string' } }],
    });
    expect(methods['pair']).toEqual({ parameters: [], outputs: [{ type: 'string' }, { type: 'number' }] });
    expect(methods['items']).toEqual({ parameters: [], outputs: [{ type: 'integer' }], stream: true });
    expect(methods['sync']).toEqual({ parameters: [], outputs: [{ type: 'string' }], stream: true });
    expect(methods['watch']).toEqual({ parameters: [], outputs: [{ type: 'boolean' }], stream: true });
    expect(methods['untyped']).toEqual({ parameters: [], stream: true });
    expect(methods['nothing']).toEqual({ parameters: [] });
    expect(methods['named']).toEqual({ parameters: [], outputs: [{ type: 'integer' }, { type: 'string' }] });
  });

  it('reads the JSDoc summary, @param, @returns and @deprecated', () => {
    const methods = record(`export class Probe {
      /**
       * Greets someone
       * politely.
       *
       * @param name - Who to greet.
       * @param {number} times How often.
       * @returns The greeting.
       * @deprecated Use hello2.
       */
      @McpTool()
      @GradioApi()
      hello(name: string, times: number): string { return name; }

      /** @deprecated */
      @McpPrompt() old(): string { return ''; }
    }`);
    expect(methods['hello']).toEqual({
      parameters: [
        { name: 'name', type: { type: 'string' }, description: 'Who to greet.' },
        { name: 'times', type: { type: 'number' }, description: 'How often.' },
      ],
      outputs: [{ type: 'string', description: 'The greeting.' }],
      description: 'Greets someone politely.',
      deprecated: 'Use hello2.',
    });
    expect(methods['old']).toEqual({ parameters: [], outputs: [{ type: 'string' }], deprecated: true });
  });

  it('describes MCP-only methods, leaves the context parameter untyped, and skips undecorated methods', () => {
    const exports = compile(
      {
        'main.ts': `${HEADER}
        export class Probe {
          @McpResource('x://{id}') read(id: string, @Ctx() ctx: unknown): string { return id; }
          helper(a: number): number { return a; }
        }
        export class Untouched { method(a: number): number { return a; } }`,
      },
      mode,
    );
    expect(metadataOf(exports, 'Probe')).toEqual({
      read: { parameters: [{ name: 'id', type: { type: 'string' } }, { name: 'ctx' }], outputs: [{ type: 'string' }] },
    });
    expect(exports['Untouched']).not.toHaveProperty(GRADIO_PLUGIN_METADATA_FACTORY);
  });

  it('ignores decorators of the same name from other packages', () => {
    const exports = compile(
      {
        'main.ts': `import { GradioApi } from 'elsewhere';\nexport class Probe { @GradioApi() a(x: number): number { return x; } }`,
      },
      mode,
    );
    expect(exports['Probe']).not.toHaveProperty(GRADIO_PLUGIN_METADATA_FACTORY);
  });
});
