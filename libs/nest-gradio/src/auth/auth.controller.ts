import { Controller, Get, Header, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { httpDetail, missingField } from '../http/http-detail.js';
import { rootUrlOf } from '../http/root-url.js';
import { type HttpRequest, type HttpResponse, nodeResponseOf, redirect } from '../http/http-exchange.js';
import { appendSetCookie, serializeCookie } from '../http/set-cookie.js';
import { GradioAuthService } from './gradio-auth.service.js';
import { readLoginForm } from './login-form.js';
import { DocumentedRoute } from '../http/route-doc.js';
import { LOGIN_CHECK_DOC, LOGIN_DOC, LOGOUT_DOC, TOKEN_DOC, USER_DOC } from './auth.route-docs.js';

/**
 * Gradio's login routes (docs/protocol.md#routes, docs/protocol.md#auth): `POST /login` and `GET /logout` at the root, and the open
 * `/gradio_api/login_check`, `/gradio_api/user` and `/gradio_api/token` (the login page a browser gets at `/` while
 * nobody is logged in is the docs' page route). None of them is protected: they are how a client finds out it must log
 * in.
 */
@Controller()
export class AuthController {
  constructor(
    private readonly auth: GradioAuthService,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  @Post('login')
  @DocumentedRoute(LOGIN_DOC)
  @HttpCode(200)
  async login(
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<{ success: true } | undefined> {
    if (!this.auth.usesLogin) {
      redirect(response, 302, this.rootOf(request));
      return undefined;
    }
    const form = await readLoginForm(request);
    for (const field of ['username', 'password'] as const) {
      if (typeof form[field] !== 'string') throw missingField('body', field, null);
    }
    const token = await this.auth.login((form['username'] as string).trim(), form['password'] as string);
    if (token === undefined) throw httpDetail(400, 'Incorrect credentials.');
    // Both clients keep the cookies and send them back; browsers drop the Secure one on plain HTTP.
    // On the Node response, which both adapters send the headers of.
    const node = nodeResponseOf(response);
    appendSetCookie(
      node,
      serializeCookie(this.auth.secureCookie, token, { httpOnly: true, sameSite: 'none', secure: true, path: '/' }),
    );
    appendSetCookie(
      node,
      serializeCookie(this.auth.plainCookie, token, { httpOnly: true, sameSite: 'lax', path: '/' }),
    );
    return { success: true };
  }

  /** Ends the session (by default every session of the user, as Gradio's `all_session=true`) and goes home. */
  @Get('logout')
  @DocumentedRoute(LOGOUT_DOC)
  async logout(
    @Req() request: HttpRequest,
    @Res() response: HttpResponse,
    @Query('all_session') allSession?: string,
  ): Promise<void> {
    const user = this.auth.usesLogin ? await this.auth.userOf(request) : null;
    this.auth.logout(request, user, allSession === undefined || !/^(false|0|no|off)$/i.test(allSession));
    const node = nodeResponseOf(response);
    const expired = new Date(0);
    appendSetCookie(
      node,
      serializeCookie(this.auth.secureCookie, '', {
        path: '/',
        httpOnly: true,
        sameSite: 'none',
        secure: true,
        expires: expired,
      }),
    );
    appendSetCookie(
      node,
      serializeCookie(this.auth.plainCookie, '', { path: '/', httpOnly: true, sameSite: 'lax', expires: expired }),
    );
    redirect(response, 302, this.rootOf(request));
  }

  /** `null` when the request may use the API, else 401 with the auth message. */
  @Get('gradio_api/login_check')
  @DocumentedRoute(LOGIN_CHECK_DOC)
  @Header('Content-Type', 'application/json')
  async loginCheck(@Req() request: HttpRequest): Promise<string> {
    if (this.auth.enabled && (await this.auth.userOf(request)) === null) {
      throw httpDetail(401, { error: 'Not authenticated', auth_message: this.auth.message });
    }
    // Nest would send an empty body for `null`; Gradio sends the JSON `null`.
    return 'null';
  }

  @Get('gradio_api/user')
  @DocumentedRoute(USER_DOC)
  @Header('Content-Type', 'application/json')
  async user(@Req() request: HttpRequest): Promise<string> {
    return JSON.stringify(this.auth.enabled ? await this.auth.userOf(request) : null);
  }

  @Get('gradio_api/token')
  @DocumentedRoute(TOKEN_DOC)
  async token(@Req() request: HttpRequest): Promise<{ token: string | null; user: string | null }> {
    const token = this.auth.tokenOf(request) ?? null;
    return { token, user: this.auth.usesLogin ? await this.auth.userOf(request) : null };
  }

  /** The app's root URL; `/login` and `/logout` are not Gradio API routes, so strip them here. */
  private rootOf(request: HttpRequest): string {
    return rootUrlOf(request, this.options.rootPath).replace(/\/(login|logout)$/, '');
  }
}
