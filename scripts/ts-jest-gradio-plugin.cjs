// ts-jest's `astTransformers` entry for this repository's own tests: loads the compiler plugin straight from its
// TypeScript sources (libs/nest-gradio/src/plugin), so that the tests need no build first. Each source is
// transpiled to CommonJS in memory; apps that install the package point ts-jest at `nest-gradio/plugin` instead.
'use strict';
const { readFileSync } = require('node:fs');
const { dirname, resolve } = require('node:path');
const Module = require('node:module');
const { createHash } = require('node:crypto');
const ts = require('typescript');

const entry = resolve(__dirname, '..', 'libs', 'nest-gradio', 'src', 'plugin', 'index.ts');
const loaded = new Map();

function load(fileName) {
  if (loaded.has(fileName)) return loaded.get(fileName).exports;
  const { outputText } = ts.transpileModule(readFileSync(fileName, 'utf8'), {
    fileName,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const module = new Module(fileName, null);
  module.filename = fileName;
  module.paths = Module._nodeModulePaths(dirname(fileName));
  loaded.set(fileName, module);
  const requireFrom = (specifier) =>
    specifier.startsWith('.')
      ? load(resolve(dirname(fileName), specifier).replace(/\.js$/, '.ts'))
      : module.require(specifier);
  new Function('exports', 'require', 'module', '__filename', '__dirname', outputText)(
    module.exports,
    requireFrom,
    module,
    fileName,
    dirname(fileName),
  );
  return module.exports;
}

// ts-jest keys its cache on the transformer's version: a hash of the plugin's sources, so that editing the plugin
// recompiles the tests.
const plugin = load(entry);
const version = createHash('sha256');
for (const fileName of [...loaded.keys()].sort()) version.update(readFileSync(fileName));

module.exports = { ...plugin, version: version.digest('hex').slice(0, 16) };
