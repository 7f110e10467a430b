#!/usr/bin/env node
// Copies the current build (run `npm run build` first) to bench/results/tmp/<name>/ for `bench/ab.mjs`: the
// showcase's dist/ and the library (libs/nest-gradio/{package.json,dist,assets}) as that copy's node_modules/nest-gradio,
// so that the copy runs its own library while other packages resolve from the project's node_modules.
//   node bench/snapshot-build.mjs A   →   node bench/ab.mjs --a bench/results/tmp/A/dist/src/main.js --b …
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const name = process.argv[2];
if (!name || !/^[\w.-]+$/.test(name)) throw new Error('Name the snapshot: node bench/snapshot-build.mjs <name>');
if (!existsSync(join(root, 'dist', 'src', 'main.js'))) throw new Error('No build: run `npm run build` first.');
const target = join(root, 'bench', 'results', 'tmp', name);
rmSync(target, { recursive: true, force: true });
cpSync(join(root, 'dist'), join(target, 'dist'), { recursive: true });
const library = join(target, 'node_modules', 'nest-gradio');
for (const part of ['package.json', 'dist', 'assets']) {
  cpSync(join(root, 'libs', 'nest-gradio', part), join(library, part), { recursive: true });
}
console.log(`${join(target, 'dist', 'src', 'main.js')}`);
