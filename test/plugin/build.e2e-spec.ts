// The compiler plugin in the project's builds: `npm run build` (nest build with the plugin in nest-cli.json) and
// plain TypeScript through scripts/tsc-plugin.mjs (compile, or write the metadata file for SWC/esbuild builds).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = process.cwd();

/** Runs a module in a fresh Node process and returns what it prints as JSON. */
function evaluate(code: string): unknown {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

describe('the compiler plugin in builds', () => {
  it("npm run build (nest build) records the showcase's types in dist", () => {
    const calculator = pathToFileURL(join(ROOT, 'dist', 'src', 'calculator.service.js')).href;
    const metadata = evaluate(
      `import 'reflect-metadata'; const { CalculatorService } = await import(${JSON.stringify(calculator)});` +
        `console.log(JSON.stringify(CalculatorService._GRADIO_METADATA_FACTORY().addAndSlice));`,
    ) as { parameters: unknown[]; outputs: unknown[] };
    expect(metadata.parameters).toEqual([
      { name: 'a', type: { type: 'integer' } },
      { name: 'b', type: { type: 'integer' } },
      { name: 'c', type: { type: 'array', items: { type: 'string' } } },
    ]);
    expect(metadata.outputs).toEqual([{ type: 'integer' }, { type: 'array', items: { type: 'string' } }]);
  });

  describe('scripts/tsc-plugin.mjs', () => {
    let project: string;
    beforeAll(() => {
      mkdirSync(join(ROOT, 'test', 'artifacts'), { recursive: true });
      project = mkdtempSync(join(ROOT, 'test', 'artifacts', 'tsc-plugin-'));
      mkdirSync(join(project, 'src'));
      writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module' }));
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            experimentalDecorators: true,
            outDir: 'dist',
            rootDir: 'src',
            types: [],
          },
          include: ['src'],
        }),
      );
      // A stand-in for the library's decorator, imported by a relative path as inside the library itself.
      writeFileSync(
        join(project, 'src', 'api.ts'),
        'export function GradioApi(): MethodDecorator { return () => undefined; }\nexport type Int = number;\n',
      );
      writeFileSync(
        join(project, 'src', 'shop.service.ts'),
        `import { GradioApi, type Int } from './api.js';
        export class Shop {
          /** Buys things. @param items What to buy. */
          @GradioApi() buy(items: string[], count: Int = 1): Promise<[Int, string]> { return Promise.resolve([count, items.join()]); }
        }`,
      );
    });
    afterAll(() => rmSync(project, { recursive: true, force: true }));

    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['scripts/tsc-plugin.mjs', '-p', join(project, 'tsconfig.json'), ...args], {
        cwd: ROOT,
        encoding: 'utf8',
      });

    it('compiles a project with the plugin, as tsc -p would', () => {
      const result = run();
      expect([result.status, result.stderr]).toEqual([0, '']);
      const shop = pathToFileURL(join(project, 'dist', 'shop.service.js')).href;
      expect(
        evaluate(
          `const { Shop } = await import(${JSON.stringify(shop)}); console.log(JSON.stringify(Shop._GRADIO_METADATA_FACTORY()));`,
        ),
      ).toEqual({
        buy: {
          parameters: [
            { name: 'items', type: { type: 'array', items: { type: 'string' } }, description: 'What to buy.' },
            { name: 'count', type: { type: 'integer' }, default: 1, optional: true },
          ],
          outputs: [{ type: 'integer' }, { type: 'string' }],
          description: 'Buys things.',
        },
      });
    });

    it('writes the metadata file with --metadata', () => {
      const result = run('--metadata', join(project, 'src'));
      expect(result.status).toBe(0);
      const text = readFileSync(join(project, 'src', 'metadata.ts'), 'utf8');
      expect(text).toContain('[import("./shop.service.js"), { "Shop": {');
      expect(text).toContain('description: "Buys things."');
    });
  });
});
