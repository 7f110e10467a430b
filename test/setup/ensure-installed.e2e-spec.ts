// scripts/ensure-installed.mjs decides when `npm start` / `npm test` must run `npm ci` first: checked on temporary
// checkouts (a lockfile and npm's record of what it installed), never on this one.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error -- a plain .mjs script without type declarations
import { installProblem } from '../../scripts/ensure-installed.mjs';

const check = installProblem as (dir: string) => string | undefined;

describe('installProblem', () => {
  let dir: string;
  const lock = {
    packages: {
      '': { name: 'x' },
      'libs/lib': { version: '0.1.0' },
      'node_modules/lib': { resolved: 'libs/lib', link: true },
      'node_modules/rxjs': { version: '7.8.2' },
      'node_modules/@scope/native-darwin': { version: '1.0.0', optional: true },
    },
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ensure-installed-'));
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function installed(packages: Record<string, unknown>): void {
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', '.package-lock.json'), JSON.stringify({ packages }));
  }

  it('asks for npm ci on a fresh clone', () => {
    expect(check(dir)).toBe('node_modules is missing');
  });

  it('is satisfied when every package of the lockfile is installed in its version, other platforms’ builds aside', () => {
    installed({ 'node_modules/lib': { resolved: 'libs/lib', link: true }, 'node_modules/rxjs': { version: '7.8.2' } });
    expect(check(dir)).toBeUndefined();
  });

  it('names a package whose installed version differs from the lockfile', () => {
    installed({ 'node_modules/rxjs': { version: '7.8.1' } });
    expect(check(dir)).toBe('node_modules does not match package-lock.json (rxjs 7.8.2)');
  });

  it('names a package the lockfile gained since the install', () => {
    installed({});
    expect(check(dir)).toBe('node_modules does not match package-lock.json (rxjs 7.8.2)');
  });
});
