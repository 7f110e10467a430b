import type { ResolvedCorsOptions } from '../options/cors-options.js';

/** Host names that mean "this machine" (Gradio's list, plus IPv6 loopback). */
const LOCALHOST_NAMES = new Set(['localhost', '127.0.0.1', '0.0.0.0', '[::1]', '::1']);

/** Whether a (lower-cased) host name means this machine. */
export function isLoopbackName(hostname: string): boolean {
  return LOCALHOST_NAMES.has(hostname);
}

/**
 * Whether a browser page at `origin` may read the app's answers (and send its cookies): pages on localhost, on the
 * app's own origin, or on a configured origin. `null` counts as localhost only when CORS is not strict.
 *
 * Gradio allows every origin as soon as the app is reached under a name other than localhost; we keep to the
 * list wherever the app runs (docs/protocol.md#cors).
 */
export function isAllowedOrigin(origin: string, host: string | undefined, options: ResolvedCorsOptions): boolean {
  if (origin === 'null') return !options.strict;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (isLoopbackName(parsed.hostname.toLowerCase())) return true;
  if (host !== undefined && parsed.host.toLowerCase() === host.toLowerCase()) return true;
  if (options.allowedOrigins === '*') return true;
  const normalised = origin.replace(/\/+$/, '').toLowerCase();
  return options.allowedOrigins.some((allowed) =>
    typeof allowed === 'string' ? allowed === normalised : allowed.test(origin),
  );
}
