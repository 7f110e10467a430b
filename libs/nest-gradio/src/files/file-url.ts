import { API_PREFIX } from '../kernel/gradio.constants.js';

/**
 * A server path as it goes after `/gradio_api/file=`: every character but unreserved ones and `/` percent-encoded
 * (Python's `urllib.parse.quote(path, safe="/")`, which the Python client uses to download outputs).
 */
export function encodeFilePath(path: string): string {
  const strict = (segment: string): string =>
    encodeURIComponent(segment).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return path.split('/').map(strict).join('/');
}

/** The URL of a served file relative to the app's root (`/gradio_api/file=<path>`), as Gradio puts it on inputs. */
export function relativeFileUrl(path: string): string {
  return `${API_PREFIX}/file=${encodeFilePath(path)}`;
}
