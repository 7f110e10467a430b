import type { GradioRequest } from './interfaces/event-context.interface.js';

/**
 * The HTTP adapter's own request object (Express's or Fastify's) behind each {@link GradioRequest}. Handlers see the
 * plain `GradioRequest`; Nest guards and interceptors that run for the event see the adapter's request, as on any
 * route. Held weakly: it goes when the event does.
 */
const nativeRequests = new WeakMap<GradioRequest, unknown>();

export function attachNativeRequest(request: GradioRequest, native: unknown): GradioRequest {
  nativeRequests.set(request, native);
  return request;
}

export function nativeRequestOf(request: GradioRequest): unknown {
  return nativeRequests.get(request);
}
