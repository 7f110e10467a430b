#!/usr/bin/env node
// `npm start [-- <app>]`: installs the packages if node_modules is missing or stale, builds what changed, then
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
// tsc -b rebuilds only what changed since the last build.
const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'tsconfig.build.json'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (build.status !== 0) {
  console.error('The build failed; see the compiler output above.');
  process.exit(1);
}
await import(pathToFileURL(entry).href);
