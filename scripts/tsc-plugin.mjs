#!/usr/bin/env node
// Plain `tsc` cannot run transformers, so this is `tsc -p` through TypeScript's programmatic API with the
// nest-gradio compiler plugin:
//   node scripts/tsc-plugin.mjs -p tsconfig.json              compile, recording what the types say
//   node scripts/tsc-plugin.mjs -p tsconfig.json --metadata src   write src/metadata.ts instead (for SWC, esbuild)
// It loads the plugin from this repository's built library; an app copies it and imports 'nest-gradio/plugin'.
import ts from 'typescript';
import { PluginMetadataGenerator, before } from '../libs/nest-gradio/dist/plugin/index.js';

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const project = option('-p') ?? option('--project') ?? 'tsconfig.json';
const metadataDir = option('--metadata');

if (metadataDir !== undefined) {
  const path = new PluginMetadataGenerator().generate({ tsconfigPath: project, outputDir: metadataDir });
  console.log(`Wrote ${path}`);
  process.exit(0);
}

const config = ts.getParsedCommandLineOfConfigFile(
  project,
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      console.error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      process.exit(2);
    },
  },
);
const program = ts.createProgram({
  rootNames: config.fileNames,
  options: config.options,
  projectReferences: config.projectReferences,
});
const result = program.emit(undefined, undefined, undefined, false, { before: [before({}, program)] });
const diagnostics = [...config.errors, ...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
if (diagnostics.length > 0) {
  console.error(
    ts.formatDiagnosticsWithColorAndContext(diagnostics, {
      getCanonicalFileName: (name) => name,
      getCurrentDirectory: ts.sys.getCurrentDirectory,
      getNewLine: () => ts.sys.newLine,
    }),
  );
}
process.exit(diagnostics.length > 0 || result.emitSkipped ? 1 : 0);
