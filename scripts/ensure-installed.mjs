#!/usr/bin/env node
// Installs the workspace's packages with `npm ci` when node_modules is missing or does not match the lockfile, so
// that `npm start` and `npm test` work on a fresh clone and after a pull that changed the lockfile. Uses only Node's
// built-in modules: it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Why node_modules needs `npm ci`, or undefined when it matches the lockfile. npm records what it installed in
 * node_modules/.package-lock.json; every package of the lockfile must be there in its version, except optional ones
 * (other platforms' builds), which npm skips.
 */
export function installProblem(dir = root) {
  const installed = join(dir, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) return 'node_modules is missing';
  const wanted = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')).packages ?? {};
  const have = JSON.parse(readFileSync(installed, 'utf8')).packages ?? {};
  const stale = Object.entries(wanted).filter(
    ([path, entry]) =>
      path.startsWith('node_modules/') && entry.version && !entry.optional && have[path]?.version !== entry.version,
  );
  if (stale.length === 0) return undefined;
  const [path, entry] = stale[0];
  return (
    `node_modules does not match package-lock.json (${path.slice('node_modules/'.length)} ${entry.version}` +
    `${stale.length > 1 ? ` and ${stale.length - 1} more` : ''})`
  );
}

/** Runs `npm ci` if needed; returns false when it was needed and failed. */
export function ensureInstalled(dir = root) {
  const problem = installProblem(dir);
  if (problem === undefined) return true;
  // A linked node_modules (a git worktree sharing another checkout's) is not ours to reinstall.
  if (existsSync(join(dir, 'node_modules')) && lstatSync(join(dir, 'node_modules')).isSymbolicLink()) {
    console.warn(`${problem}; node_modules is a link to another checkout, so it is left as it is.`);
    return true;
  }
  console.log(`${problem}: running npm ci…`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], {
    cwd: dir,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  return result.status === 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(ensureInstalled() ? 0 : 1);
