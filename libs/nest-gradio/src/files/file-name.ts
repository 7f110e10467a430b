/**
 * File names as Gradio stores them (`strip_invalid_filename_characters` in gradio_client): what a client sends is
 * only a hint, so path separators, control characters and shell-special characters are removed, Windows device
 * names are prefixed, and the result is kept under 200 bytes. The checks in `file-name.spec.ts` run Gradio's own
 * function as the oracle.
 */

// eslint-disable-next-line no-control-regex -- control characters are what this matches
const FORBIDDEN = /[<>:"/\\|?*\x00-\x1f\x7f`$!{}]/g;
const RESERVED_SUFFIXES = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '\u00b9', '\u00b2', '\u00b3'];
const WINDOWS_RESERVED = new Set([
  'CON',
  'PRN',
  'AUX',
  'NUL',
  'CONIN$',
  'CONOUT$',
  ...RESERVED_SUFFIXES.map((suffix) => `COM${suffix}`),
  ...RESERVED_SUFFIXES.map((suffix) => `LPT${suffix}`),
]);

/** Gradio's limit on a stored file name, in UTF-8 bytes. */
export const MAX_FILE_NAME_BYTES = 200;

/** The last component of a client-supplied path (Python's `PurePosixPath(name).name`). */
export function baseName(path: string): string {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  return parts[parts.length - 1] ?? '';
}

/**
 * The stored name of an uploaded or produced file. Returns `".."` unchanged so that the caller rejects it (a name
 * that would leave the file's directory).
 */
export function sanitizeFileName(fileName: string, maxBytes = MAX_FILE_NAME_BYTES): string {
  let [name, ext] = splitExtension(fileName);
  name = name.replace(FORBIDDEN, '');
  if (ext) ext = `.${ext.slice(1).replace(FORBIDDEN, '')}`;
  // Without a stem the extension would read as a dot-file name.
  if (!name && ext) name = 'file';
  if (name + ext === '..') return '..';
  // Windows drops trailing spaces and dots; drop them everywhere so that a stored path is portable.
  let result = (name + ext).replace(/[ .]+$/, '') || 'file';
  [name, ext] = splitExtension(result);
  const device = (name + ext).split('.')[0]?.replace(/ +$/, '').toUpperCase() ?? '';
  if (WINDOWS_RESERVED.has(device)) name = `_${name}`;
  result = name + ext;
  let stem = Array.from(name);
  while (utf8Length(result) > maxBytes && stem.length > 0) {
    stem = stem.slice(0, -1);
    result = stem.join('') + ext;
  }
  if (utf8Length(result) <= maxBytes) return result;
  // The extension alone is too long: keep a usable stem and shorten the extension, by whole characters.
  let fallback = Array.from('file');
  while (utf8Length(fallback.join('')) > maxBytes && fallback.length > 0) fallback = fallback.slice(0, -1);
  let extension = Array.from(ext);
  while (utf8Length(fallback.join('') + extension.join('')) > maxBytes && extension.length > 0) {
    extension = extension.slice(0, -1);
  }
  return fallback.join('') + extension.join('');
}

/** Python's `os.path.splitext`: the extension starts at the last dot, unless only dots precede it. */
export function splitExtension(fileName: string): [string, string] {
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0) return [fileName, ''];
  for (let index = 0; index < dot; index++) {
    if (fileName[index] !== '.') return [fileName.slice(0, dot), fileName.slice(dot)];
  }
  return [fileName, ''];
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
