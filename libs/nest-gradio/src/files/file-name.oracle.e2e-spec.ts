import fc from 'fast-check';
import { runPython } from '../../../../test/support/python.js';
import { baseName, sanitizeFileName, splitExtension } from './file-name.js';

/** Gradio's own functions are the oracle: the names it would store, and Python's path splitting. */
const ORACLE = `
import json, os, sys
from pathlib import PurePosixPath
from gradio_client.utils import strip_invalid_filename_characters
names = json.load(sys.stdin)
print(json.dumps([
    {"stored": strip_invalid_filename_characters(n), "split": list(os.path.splitext(n)), "base": PurePosixPath(n).name}
    for n in names
]))
`;

interface OracleAnswer {
  stored: string;
  split: [string, string];
  base: string;
}

const FIXED = [
  'hello.txt',
  '..',
  '.',
  '',
  '.bashrc',
  '..a',
  'a.',
  '.a.b',
  'a.tar.gz',
  '#.txt',
  '..\\..\\evil.txt',
  'a<b>c?.txt',
  'CON.txt',
  'con',
  'NUL.tar.gz',
  'LPT\u00b9.log',
  'COM1 .txt',
  'trailing. . ',
  'ünïcödé 文件.png',
  'x'.repeat(250) + '.txt',
  'é'.repeat(150) + '.txt',
  'a.' + 'e'.repeat(300),
  'tab\tand\nnewline.txt',
  '$HOME{x}!`cmd`.sh',
];

describe('sanitizeFileName (against gradio_client.utils.strip_invalid_filename_characters)', () => {
  it('stores the same names as Gradio for tricky fixed cases', () => {
    const answers = runPython<OracleAnswer[]>(ORACLE, FIXED);
    FIXED.forEach((name, index) => {
      const expected = answers[index] as OracleAnswer;
      expect({ name, stored: sanitizeFileName(name) }).toEqual({ name, stored: expected.stored });
      expect({ name, split: splitExtension(name) }).toEqual({ name, split: expected.split });
    });
  });

  it('stores the same names as Gradio for generated names', () => {
    const alphabet = fc.constantFrom(...Array.from('ab. -_<>:"/\\|?*`$!{}\u0000\u001f\u007féñ文😀CONLPT1'));
    const names = fc.sample(
      fc.array(alphabet, { maxLength: 24 }).map((chars) => chars.join('')),
      { numRuns: 300, seed: 42 },
    );
    const answers = runPython<OracleAnswer[]>(ORACLE, names);
    names.forEach((name, index) => {
      const expected = answers[index] as OracleAnswer;
      expect({ name, stored: sanitizeFileName(name) }).toEqual({ name, stored: expected.stored });
      expect({ name, base: baseName(name) }).toEqual({ name, base: expected.base });
    });
  });

  it('never returns a name with a path separator, and only ".." as a parent reference', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (name) => {
        const stored = sanitizeFileName(baseName(name));
        // eslint-disable-next-line no-control-regex -- control characters are what this matches
        expect(stored).not.toMatch(/[/\\\u0000]/);
        expect(stored).not.toBe('.');
        expect(stored).not.toBe('');
        expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(200);
      }),
    );
  });
});
