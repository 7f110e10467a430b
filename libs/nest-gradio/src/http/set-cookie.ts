import type { ServerResponse } from 'node:http';

/** Adds a `Set-Cookie` header, keeping those already set. */
export function appendSetCookie(response: ServerResponse, cookie: string): void {
  const current = response.getHeader('Set-Cookie');
  const cookies = current === undefined ? [] : Array.isArray(current) ? current : [String(current)];
  response.setHeader('Set-Cookie', [...cookies, cookie]);
}

/** A `Set-Cookie` value. */
export function serializeCookie(
  name: string,
  value: string,
  options: {
    path?: string;
    httpOnly?: boolean;
    secure?: boolean;
    sameSite?: 'lax' | 'none' | 'strict';
    expires?: Date;
  },
): string {
  const parts = [`${name}=${encodeURIComponent(value)}`];
  if (options.path) parts.push(`Path=${options.path}`);
  if (options.expires) parts.push(`Expires=${options.expires.toUTCString()}`);
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  if (options.sameSite) parts.push(`SameSite=${options.sameSite[0]?.toUpperCase()}${options.sameSite.slice(1)}`);
  return parts.join('; ');
}
