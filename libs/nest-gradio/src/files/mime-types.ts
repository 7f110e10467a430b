import { extname } from 'node:path';

/**
 * Types a browser cannot be tricked into running as a page or script: served inline with their real type. Every
 * other uploaded file goes out as `application/octet-stream` + `attachment`, so an uploaded HTML or SVG file cannot
 * run script in the app's origin (Gradio's `XSS_SAFE_MIMETYPES`).
 */
export const INLINE_SAFE_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'audio/aac',
  'audio/aiff',
  'audio/flac',
  'audio/mp4',
  'audio/mpeg',
  'audio/ogg',
  'audio/wav',
  'audio/webm',
  'audio/x-aiff',
  'audio/x-flac',
  'audio/x-m4a',
  'audio/x-matroska',
  'audio/x-wav',
  'video/mp4',
  'video/mpeg',
  'video/ogg',
  'video/quicktime',
  'video/webm',
  'video/x-matroska',
  'video/x-msvideo',
  'text/plain',
  'application/json',
]);

/** Extension → type, as Python's `mimetypes` (plus Gradio's media overrides) guesses them. */
const TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.text': 'text/plain',
  '.log': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.tsv': 'text/tab-separated-values',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.xml': 'text/xml',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.tar': 'application/x-tar',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/vnd.microsoft.icon',
  '.bmp': 'image/bmp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.avif': 'image/avif',
  '.aac': 'audio/aac',
  '.aif': 'audio/aiff',
  '.aifc': 'audio/aiff',
  '.aiff': 'audio/aiff',
  '.flac': 'audio/flac',
  '.m4a': 'audio/mp4',
  '.m4b': 'audio/mp4',
  '.mka': 'audio/x-matroska',
  '.mp3': 'audio/mpeg',
  '.oga': 'audio/ogg',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.wav': 'audio/wav',
  '.weba': 'audio/webm',
  '.avi': 'video/x-msvideo',
  '.m4v': 'video/mp4',
  '.mkv': 'video/x-matroska',
  '.mov': 'video/quicktime',
  '.mp4': 'video/mp4',
  '.mpeg': 'video/mpeg',
  '.mpg': 'video/mpeg',
  '.ogv': 'video/ogg',
  '.webm': 'video/webm',
};

/** The type a file's name suggests, or undefined when unknown. */
export function guessMimeType(fileName: string): string | undefined {
  return TYPES[extname(fileName).toLowerCase()];
}

/** `Content-Type` and `Content-Disposition` type for serving a file (docs/protocol.md#file-serving step 5). */
export function servingTypeOf(
  mimeType: string | undefined,
  trusted: boolean,
): { contentType: string; disposition: 'inline' | 'attachment' } {
  if (mimeType !== undefined && (trusted || INLINE_SAFE_TYPES.has(mimeType))) {
    return {
      contentType: mimeType.startsWith('text/') ? `${mimeType}; charset=utf-8` : mimeType,
      disposition: 'inline',
    };
  }
  if (trusted) return { contentType: 'application/octet-stream', disposition: 'inline' };
  return { contentType: 'application/octet-stream', disposition: 'attachment' };
}

/** A `Content-Disposition` value with the file name, quoted for ASCII names and RFC 5987-encoded otherwise. */
export function contentDisposition(disposition: 'inline' | 'attachment', fileName: string): string {
  if (/^[\x20-\x7e]*$/.test(fileName) && !/["\\]/.test(fileName)) return `${disposition}; filename="${fileName}"`;
  return `${disposition}; filename*=utf-8''${encodeRfc3986(fileName)}`;
}

function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
