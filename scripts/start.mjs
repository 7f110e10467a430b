#!/usr/bin/env node
// `npm start [-- <app>]`: installs the packages if node_modules is missing or stale, builds (as `npm run build`), then
// serves the showcase (src/) or one of the example apps (`hello`, `calculator` under apps/) in this process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureInstalled } from './ensure-installed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const app = process.argv[2];
const entry = join(root, 'dist', ...(app ? ['apps', app] : ['src']), 'main.js');

if (app && !existsSync(join(root, 'apps', app))) {
  console.error(`There is no app "${app}" under apps/.`);
  process.exit(1);
}
if (!ensureInstalled()) {
  console.error('npm ci failed; see its output above.');
  process.exit(1);
}
// The same build as `npm run build`: the library (tsc -b rebuilds only what changed), then the apps with `nest build`,
// which runs the library's compiler plugin. A plain `tsc` build of the apps would lose what the plugin records (the
// parameter types that run-time metadata cannot tell), and with it the input validation those types give.
const build = [
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'libs/nest-gradio/tsconfig.lib.json'],
  [join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build', 'showcase'],
].reduce(
  (previous, args) =>
    previous.status === 0 ? spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }) : previous,
  { status: 0 },
);
if (build.status !== 0) {
  console.error('The build failed; see the compiler output above.');
  process.exit(1);
}
await import(pathToFileURL(entry).href);
