import { Injectable, type NestMiddleware } from '@nestjs/common';
import { GradioAuthService } from '../../auth/gradio-auth.service.js';
import { type HttpRequest, type HttpResponse, queryValuesOf, sendHtml } from '../../http/http-exchange.js';
import { ViewApiPage } from './view-api.service.js';

/**
 * Answers `GET /?view=api` with the View API page before any route sees the request, so that the page stays
 * reachable when the application owns `GET /` (in Gradio the page is an overlay of the app's own page, opened by
 * the same query). Every other request to `/` goes on to the routes.
 */
@Injectable()
export class ViewApiMiddleware implements NestMiddleware {
  constructor(
    private readonly page: ViewApiPage,
    private readonly auth: GradioAuthService,
  ) {}

  async use(request: HttpRequest, response: HttpResponse, next: () => void): Promise<void> {
    if (queryValuesOf(request, 'view')[0] !== 'api') return next();
    // Behind a login, a visitor without one goes on to the routes: `/` answers with the login page, as in Gradio.
    if (this.auth.enabled && (await this.auth.userOf(request)) === null) return next();
    sendHtml(response, 200, this.page.render(request), { 'Cache-Control': 'no-store' });
  }
}
