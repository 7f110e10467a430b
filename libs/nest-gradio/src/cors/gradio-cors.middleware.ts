import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { addVary, sendText } from '../http/http-exchange.js';
import { isAllowedOrigin } from './origin-policy.js';

const ALLOWED_METHODS = 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT';

/**
 * Gradio's CORS behaviour (docs/protocol.md#cors): a preflight from any origin gets `200 OK` with the allowed methods and
 * the requested headers; an allowed origin (see {@link isAllowedOrigin}) is echoed in
 * `Access-Control-Allow-Origin` with credentials, any other gets no such header, so the browser keeps the answer
 * from the page. Stands aside when the application enabled Nest's own CORS (`app.enableCors()`), as Gradio
 * stands aside for Starlette's `CORSMiddleware`. Nest middleware gets Node's request and response under both
 * adapters (Express's extend them).
 */
@Injectable()
export class GradioCorsMiddleware implements NestMiddleware {
  private appHasOwnCors: boolean | undefined;

  constructor(
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
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
      addVary(response, 'Origin');
      sendText(response, 200, 'OK');
      return;
    }
    response.setHeader('Access-Control-Allow-Credentials', 'true');
    if (allowed) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      addVary(response, 'Origin');
    }
    next();
  }

  /**
   * Nest's `enableCors()` installs the `cors` package's middleware on the Express app, and `@fastify/cors`'s request
   * hook on Fastify (which Nest's adapter keeps as `corsHook`, or registers as the plugin `@fastify/cors`); look for
   * it once.
   */
  private ownCorsEnabled(): boolean {
    if (this.appHasOwnCors !== undefined) return this.appHasOwnCors;
    const adapter = this.adapterHost.httpAdapter as
      ({ corsHook?: unknown } & typeof this.adapterHost.httpAdapter) | undefined;
    if (adapter?.getType() === 'fastify') {
      const instance = adapter.getInstance() as { hasPlugin?: (name: string) => boolean };
      this.appHasOwnCors = adapter.corsHook !== undefined || instance.hasPlugin?.('@fastify/cors') === true;
      return this.appHasOwnCors;
    }
    const instance = adapter?.getInstance() as { router?: { stack?: { name?: string }[] } } | undefined;
    const stack = instance?.router?.stack;
    if (!stack) return false;
    this.appHasOwnCors = stack.some((layer) => layer.name === 'corsMiddleware');
    return this.appHasOwnCors;
  }
}
