#!/usr/bin/env node
// `npm run graph [src-dir]`: prints which folders of the library import which, and the strongly connected
// components of that graph (folders that reach each other through imports). Specs are left out: a test may
// reach across layers; the shipped code may not. Files at the top of src/ count as the folder "(root)".
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = resolve(process.argv[2] ?? join(here, '..', 'libs', 'nest-gradio', 'src'));

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) yield path;
  }
}

function folderOf(file) {
  const parts = relative(src, file).split(sep);
  return parts.length > 1 ? parts[0] : '(root)';
}

const importPattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;
const edges = new Map();
for (const file of sourceFiles(src)) {
  const from = folderOf(file);
  if (!edges.has(from)) edges.set(from, new Map());
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(importPattern)) {
    const target = resolve(dirname(file), spec);
    if (relative(src, target).startsWith('..')) continue;
    const to = folderOf(target);
    if (to === from) continue;
    const counts = edges.get(from);
    counts.set(to, (counts.get(to) ?? 0) + 1);
  }
}
for (const targets of [...edges.values()])
  for (const to of targets.keys()) if (!edges.has(to)) edges.set(to, new Map());

const folders = [...edges.keys()].sort();
console.log(`Folder imports in ${relative(process.cwd(), src) || '.'} (imports counted per folder pair):`);
for (const from of folders) {
  const targets = [...edges.get(from)].sort(([a], [b]) => a.localeCompare(b));
  console.log(`  ${from} -> ${targets.length ? targets.map(([to, n]) => `${to} (${n})`).join(', ') : '(nothing)'}`);
}

// Tarjan's algorithm: every component with more than one folder is a cycle.
let index = 0;
const indices = new Map();
const lowlink = new Map();
const stack = [];
const onStack = new Set();
const components = [];
function connect(folder) {
  indices.set(folder, index);
  lowlink.set(folder, index);
  index += 1;
  stack.push(folder);
  onStack.add(folder);
  for (const to of edges.get(folder).keys()) {
    if (!indices.has(to)) {
      connect(to);
      lowlink.set(folder, Math.min(lowlink.get(folder), lowlink.get(to)));
    } else if (onStack.has(to)) {
      lowlink.set(folder, Math.min(lowlink.get(folder), indices.get(to)));
    }
  }
  if (lowlink.get(folder) === indices.get(folder)) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== folder);
    components.push(component.sort());
  }
}
for (const folder of folders) if (!indices.has(folder)) connect(folder);

const cycles = components.filter((component) => component.length > 1);
console.log('\nStrongly connected components:');
for (const component of components.reverse()) console.log(`  {${component.join(', ')}}`);
console.log(
  cycles.length
    ? `\n${cycles.length} cycle(s) between folders: ${cycles.map((c) => c.join(' <-> ')).join('; ')}`
    : '\nNo cycles between folders.',
);
