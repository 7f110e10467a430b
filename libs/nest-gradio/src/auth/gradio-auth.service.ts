import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { HttpRequest } from '../http/http-exchange.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { cookieOf } from './cookies.js';

/** Most logins kept at once; the oldest is forgotten first (Gradio keeps them all, for the process's life). */
const MAX_SESSIONS = 10_000;

/**
 * Who is calling: Gradio's login sessions (`auth`: a random token per login, kept in memory and sent back in two
 * cookies named after this process's cookie id) or the app's own `authDependency`.
 */
@Injectable()
export class GradioAuthService {
  /** Part of the cookie names, so that two apps on one host do not read each other's cookies. */
  readonly cookieId = randomBytes(32).toString('base64url');
  private readonly tokens = new Map<string, string>();

  constructor(@Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions) {}

  /** Whether requests must be identified (either `auth` or `authDependency` is configured). */
  get enabled(): boolean {
    return this.options.auth.verify !== undefined || this.options.auth.dependency !== undefined;
  }

  /** Whether users log in with a username and password (`auth`), rather than through `authDependency`. */
  get usesLogin(): boolean {
    return this.options.auth.verify !== undefined;
  }

  get message(): string | null {
    return this.options.auth.message;
  }

  get secureCookie(): string {
    return `access-token-${this.cookieId}`;
  }

  /** Sent over plain HTTP too, where browsers drop `Secure` cookies. */
  get plainCookie(): string {
    return `access-token-unsecure-${this.cookieId}`;
  }

  /** The user of a request, or `null`. */
  async userOf(request: HttpRequest): Promise<string | null> {
    const { dependency } = this.options.auth;
    if (dependency) {
      const user = await dependency(request);
      return user === null || user === undefined || user === '' ? null : String(user);
    }
    const token = this.tokenOf(request);
    return token === undefined ? null : (this.tokens.get(token) ?? null);
  }

  /** The login token a request carries (the secure cookie first), if any. */
  tokenOf(request: HttpRequest): string | undefined {
    const header = request.headers.cookie;
    return cookieOf(header, this.secureCookie) ?? cookieOf(header, this.plainCookie);
  }

  /** The session token of a user who logged in with valid credentials, or undefined. */
  async login(username: string, password: string): Promise<string | undefined> {
    const verify = this.options.auth.verify;
    if (!verify || !(await verify(username, password))) return undefined;
    const token = randomBytes(16).toString('base64url');
    if (this.tokens.size >= MAX_SESSIONS) this.tokens.delete(this.tokens.keys().next().value as string);
    this.tokens.set(token, username);
    return token;
  }

  /** Ends the request's session, or every session of its user. */
  logout(request: HttpRequest, user: string | null, allSessions: boolean): void {
    if (allSessions && user !== null) {
      for (const [token, owner] of this.tokens) if (owner === user) this.tokens.delete(token);
      return;
    }
    const token = this.tokenOf(request);
    if (token !== undefined) this.tokens.delete(token);
  }
}
