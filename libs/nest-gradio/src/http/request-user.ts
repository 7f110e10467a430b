import type { HttpRequest } from './http-exchange.js';

const USER = Symbol('nest-gradio:user');

/** Records the user the auth guard resolved for a request (like Passport's `request.user`, without the name clash). */
export function setRequestUser(request: HttpRequest, username: string | null): void {
  (request as unknown as Record<symbol, string | null>)[USER] = username;
}

/** The user resolved for this request by the auth guard, or `null` (no auth configured, or a public route). */
export function requestUserOf(request: HttpRequest): string | null {
  return (request as unknown as Record<symbol, string | null | undefined>)[USER] ?? null;
}
