import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** A username and its password. @publicApi */
export type Credentials = readonly [username: string, password: string];

/**
 * Who may log in with `POST /login` (Gradio's `auth`): one username/password pair, a list of them, or a function
 * that checks a pair (it may be async).
 * @publicApi
 */
export type GradioAuth =
  Credentials | readonly Credentials[] | ((username: string, password: string) => boolean | Promise<boolean>);

/**
 * Resolves the user of a request by other means (a proxy header, a session of your own app; Gradio's
 * `auth_dependency`): the username, or `null` for an anonymous request, which protected routes then refuse.
 * @publicApi
 */
export type AuthDependency = {
  // A method's parameter is bivariant: a function typed for Express's or Fastify's own request fits.
  resolve(request: AuthDependencyRequest): string | null | undefined | Promise<string | null | undefined>;
}['resolve'];

/**
 * The request an {@link AuthDependency} gets: the HTTP adapter's own request (Express's, or Fastify's), or on
 * Fastify, for the View API page's `/?view=api` check that runs as middleware, the Node request.
 * @publicApi
 */
export interface AuthDependencyRequest {
  readonly headers: IncomingHttpHeaders;
  readonly method?: string;
  readonly url?: string;
}

/** The auth options of `GradioModule.forRoot()` (also listed there). @publicApi */
export interface GradioAuthOptions {
  /** Require a login (`POST /login`, a cookie) for the API. Not together with `authDependency`. */
  auth?: GradioAuth;
  /** Shown on the login page and in 401 answers (`auth_message`). */
  authMessage?: string;
  /** Resolve the user of each request yourself. Not together with `auth`. */
  authDependency?: AuthDependency;
}

export interface ResolvedAuthOptions {
  /** Checks a username and password; undefined when logins are off. */
  verify: ((username: string, password: string) => Promise<boolean>) | undefined;
  dependency: AuthDependency | undefined;
  message: string | null;
}

export function resolveAuthOptions(options: GradioAuthOptions): ResolvedAuthOptions {
  const { auth, authDependency } = options;
  if (auth !== undefined && authDependency !== undefined) {
    throw new Error(
      'GradioModule options auth and authDependency cannot be used together: choose one way to identify users.',
    );
  }
  if (authDependency !== undefined && typeof authDependency !== 'function') {
    throw new Error('GradioModule option authDependency must be a function of the request.');
  }
  return {
    verify: auth === undefined ? undefined : verifierOf(auth),
    dependency: authDependency,
    message: options.authMessage ?? null,
  };
}

function verifierOf(auth: GradioAuth): (username: string, password: string) => Promise<boolean> {
  if (typeof auth === 'function') return async (username, password) => (await auth(username, password)) === true;
  const pairs = isPair(auth) ? [auth] : auth;
  if (!Array.isArray(pairs) || pairs.length === 0 || !pairs.every(isPair)) {
    throw new Error(
      'GradioModule option auth must be [username, password], a list of such pairs, ' +
        'or a function (username, password) => boolean.',
    );
  }
  const passwords = new Map(pairs.map(([username, password]) => [username, password]));
  return async (username, password) => {
    const expected = passwords.get(username);
    // Compared even for an unknown user, so that the answer takes as long either way.
    const matches = sameSecret(password, expected ?? '');
    return expected !== undefined && matches;
  };
}

function isPair(value: unknown): value is Credentials {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string';
}

/** Compares in time that does not depend on where the strings differ. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
