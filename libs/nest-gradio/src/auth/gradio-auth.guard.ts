import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { HttpRequest } from '../http/http-exchange.js';
import { httpDetail } from '../http/http-detail.js';
import { GradioMetadataAccessor } from '../discovery/gradio-metadata.accessor.js';
import { GradioAuthService } from './gradio-auth.service.js';
import { setRequestUser } from '../http/request-user.js';

/**
 * Protects Gradio's routes the way Gradio's `login_check` does: when `auth` or `authDependency` is configured, a
 * request without a user gets 401 `{"detail":{"error":"Not authenticated","auth_message":…}}`; otherwise the user
 * is recorded on the request (handlers see it as `ctx.request.username`). Without auth it lets everything through.
 * Use it on your own controllers too: `@UseGuards(GradioAuthGuard)`.
 * @publicApi
 */
@Injectable()
export class GradioAuthGuard implements CanActivate {
  constructor(
    private readonly auth: GradioAuthService,
    private readonly metadata: GradioMetadataAccessor,
  ) {}

  /** At once without auth (nothing to wait for on every Gradio route); with auth, once the user is known. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http' || !this.auth.enabled) return true;
    if (this.metadata.isPublicRoute(context.getHandler(), context.getClass())) return true;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    return this.authenticate(request).then(() => true);
  }

  /**
   * The same check for code that is not a Nest route (e.g. middleware): records and returns the user, or throws
   * the 401 `HttpException`.
   */
  async authenticate(request: HttpRequest): Promise<string | null> {
    if (!this.auth.enabled) return null;
    const user = await this.auth.userOf(request);
    setRequestUser(request, user);
    if (user === null) throw httpDetail(401, { error: 'Not authenticated', auth_message: this.auth.message });
    return user;
  }
}
