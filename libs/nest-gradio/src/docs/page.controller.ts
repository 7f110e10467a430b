import { Controller, Get, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { GradioAuthService } from '../auth/gradio-auth.service.js';
import { renderLoginPage } from '../auth/login-page.renderer.js';
import { type HttpRequest, type HttpResponse, sendHtml, sendJson } from '../http/http-exchange.js';
import { rootUrlOf } from '../http/root-url.js';
import { ViewApiPage } from './view-api/view-api.service.js';
import { DocumentedRoute } from '../http/route-doc.js';
import { PAGE_DOC } from './api-docs.route-docs.js';

/**
 * `GET /`: the View API page (`servePage`, on by default) — or, while logins are required and the browser has none,
 * the login page (with `authDependency`, a 401). An application's own `GET /` takes precedence; the page then stays
 * at `/?view=api` (see ViewApiMiddleware). One route for both, as Fastify's router takes one handler per path.
 */
@Controller()
export class PageController {
  constructor(
    private readonly page: ViewApiPage,
    private readonly auth: GradioAuthService,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  @Get()
  @DocumentedRoute(PAGE_DOC)
  async render(@Req() request: HttpRequest, @Res() response: HttpResponse): Promise<void> {
    if (!this.options.servePage) throw new NotFoundException();
    if (this.auth.enabled && (await this.auth.userOf(request)) === null) {
      if (!this.auth.usesLogin) {
        sendJson(response, 401, { detail: { error: 'Not authenticated', auth_message: this.auth.message } });
        return;
      }
      const root = rootUrlOf(request, this.options.rootPath);
      sendHtml(response, 200, renderLoginPage(this.options.title, this.auth.message, `${root}/login`));
      return;
    }
    sendHtml(response, 200, this.page.render(request), { 'Cache-Control': 'no-store' });
  }
}
