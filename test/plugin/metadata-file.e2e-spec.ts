// The metadata-file mode end to end, as an SWC or esbuild build uses it: the app is compiled file by file with no
// transformer (TypeScript's transpileModule stands in for SWC), scripts/tsc-plugin.mjs --metadata writes
// metadata.ts, and the app calls loadPluginMetadata() before bootstrap. /gradio_api/info then shows the types.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = process.cwd();

describe('metadata-file mode (no transformer in the build)', () => {
  let project: string;
  beforeAll(() => {
    mkdirSync(join(ROOT, 'test', 'artifacts'), { recursive: true });
    project = mkdtempSync(join(ROOT, 'test', 'artifacts', 'metadata-mode-'));
    const src = join(project, 'src');
    mkdirSync(src);
    // The built library, reached by path (an app would import 'nest-gradio').
    const library = relative(src, join(ROOT, 'libs', 'nest-gradio', 'dist', 'index.js'))
      .split('\\')
      .join('/');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          skipLibCheck: true,
          types: ['node'],
        },
        include: ['src'],
      }),
    );
    writeFileSync(
      join(src, 'tags.service.ts'),
      `import { Injectable } from '@nestjs/common';
      import { FileData, GradioApi, type Int } from '${library}';
      @Injectable()
      export class TagsService {
        /** Count tags. @param tags The tags. */
        @GradioApi({ name: 'count_tags' })
        countTags(tags: string[], mode: 'all' | 'unique' = 'all', files: FileData[] = []): [Int, string[]] {
          return [tags.length, mode === 'unique' ? [...new Set(tags)] : tags];
        }
      }`,
    );
    writeFileSync(
      join(src, 'main.ts'),
      `import 'reflect-metadata';
      import { Module } from '@nestjs/common';
      import { NestFactory } from '@nestjs/core';
      import { GradioModule, loadPluginMetadata } from '${library}';
      import metadata from './metadata.js';
      import { TagsService } from './tags.service.js';
      await loadPluginMetadata(metadata);
      @Module({ imports: [GradioModule.forRoot()], providers: [TagsService] })
      class AppModule {}
      const app = await NestFactory.create(AppModule, { logger: false });
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address();
      const info = await (await fetch('http://127.0.0.1:' + port + '/gradio_api/info')).json();
      console.log(JSON.stringify(info.named_endpoints['/count_tags']));
      await app.close();`,
    );
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('gives the app the types and JSDoc the build could not record', () => {
    const generate = spawnSync(
      process.execPath,
      ['scripts/tsc-plugin.mjs', '-p', join(project, 'tsconfig.json'), '--metadata', join(project, 'src')],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect([generate.status, generate.stderr]).toEqual([0, '']);
    // Compile every file on its own, with no transformer and no type information, as SWC does.
    for (const name of readdirSync(join(project, 'src'))) {
      const fileName = join(project, 'src', name);
      const { outputText } = ts.transpileModule(readFileSync(fileName, 'utf8'), {
        fileName,
        compilerOptions: {
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.ESNext,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
        },
      });
      expect(outputText).not.toContain('_GRADIO_METADATA_FACTORY');
      writeFileSync(fileName.replace(/\.ts$/, '.js'), outputText);
    }
    const run = spawnSync(process.execPath, [join(project, 'src', 'main.js')], {
      cwd: project,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    const endpoint = JSON.parse(run.stdout) as {
      description: string;
      parameters: Record<string, unknown>[];
      returns: Record<string, unknown>[];
    };
    expect(endpoint.description).toBe('Count tags.');
    expect(
      endpoint.parameters.map((parameter) => [
        parameter['parameter_name'],
        (parameter['python_type'] as { type: string }).type,
      ]),
    ).toEqual([
      ['tags', 'list[str]'],
      ['mode', "Literal['all', 'unique']"],
      ['files', 'list[filepath]'],
    ]);
    expect(endpoint.parameters[0]?.['python_type']).toEqual({ type: 'list[str]', description: 'The tags.' });
    expect(endpoint.returns.map((output) => (output['python_type'] as { type: string }).type)).toEqual([
      'int',
      'list[str]',
    ]);
  });
});
