import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { isAllowedOrigin } from './origin-policy.js';

const ALLOWED_METHODS = 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT';

/**
 * Gradio's CORS behaviour (docs/protocol.md#cors): a preflight from any origin gets `200 OK` with the allowed methods and
 * the requested headers; an allowed origin (see {@link isAllowedOrigin}) is echoed in
 * `Access-Control-Allow-Origin` with credentials, any other gets no such header, so the browser keeps the answer
 * from the page. Stands aside when the application enabled Nest's own CORS (`app.enableCors()`), as Gradio
 * stands aside for Starlette's `CORSMiddleware`.
 */
@Injectable()
export class GradioCorsMiddleware implements NestMiddleware {
  private appHasOwnCors: boolean | undefined;

  constructor(
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const cors = this.options.cors;
    const origin = request.headers.origin;
    if (cors === false || origin === undefined || this.ownCorsEnabled()) {
      next();
      return;
    }
    const allowed = isAllowedOrigin(origin, request.headers.host, cors);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      response.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      response.setHeader('Access-Control-Max-Age', '600');
      response.setHeader('Access-Control-Allow-Credentials', 'true');
      if (allowed) response.setHeader('Access-Control-Allow-Origin', origin);
      const requested = request.headers['access-control-request-headers'];
      if (requested !== undefined) response.setHeader('Access-Control-Allow-Headers', requested);
      response.vary('Origin');
      response.status(200).type('text/plain').send('OK');
      return;
    }
    response.setHeader('Access-Control-Allow-Credentials', 'true');
    if (allowed) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.vary('Origin');
    }
    next();
  }

  /** Nest's `enableCors()` installs the `cors` package's middleware on the Express app; look for it once. */
  private ownCorsEnabled(): boolean {
    if (this.appHasOwnCors !== undefined) return this.appHasOwnCors;
    const instance = this.adapterHost.httpAdapter?.getInstance() as
      { router?: { stack?: { name?: string }[] } } | undefined;
    const stack = instance?.router?.stack;
    if (!stack) return false;
    this.appHasOwnCors = stack.some((layer) => layer.name === 'corsMiddleware');
    return this.appHasOwnCors;
  }
}
