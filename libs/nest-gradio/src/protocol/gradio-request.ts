import type { Request } from 'express';
import type { GradioRequest } from '../interfaces/event-context.interface.js';

/** What a handler may know about the HTTP request that submitted its event. */
export function gradioRequestOf(request: Request): GradioRequest {
  return {
    headers: request.headers,
    clientAddress: request.socket.remoteAddress,
    url: request.originalUrl,
    username: null,
  };
}
