/**
 * The HTTP adapter's own request object (Express's or Fastify's) behind each `GradioRequest` a handler sees. Nest
 * guards and interceptors that run for the event see the adapter's request, as on any route. Held weakly: it goes
 * when the event does.
 */
const nativeRequests = new WeakMap<object, unknown>();

export function attachNativeRequest<T extends object>(request: T, native: unknown): T {
  nativeRequests.set(request, native);
  return request;
}

/** Unlinks the adapter's request from a `GradioRequest` that outlives the need for it (a waiting event's). */
export function forgetNativeRequest(request: object): void {
  nativeRequests.delete(request);
}

export function nativeRequestOf(request: object): unknown {
  return nativeRequests.get(request);
}

const nativeResponses = new WeakMap<object, unknown>();

/** Links a native request to its response where the adapter does not (Fastify's request knows no reply). */
export function attachNativeResponse(request: object, response: unknown): void {
  nativeResponses.set(request, response);
}

/**
 * The response of a native request, for guards that set headers (a throttler's `Retry-After`): Express links it
 * from the request as `res`; for Fastify it was linked with {@link attachNativeResponse}.
 */
export function nativeResponseOf(request: unknown): unknown {
  if (typeof request === 'object' && request !== null && nativeResponses.has(request))
    return nativeResponses.get(request);
  return (request as { res?: unknown } | undefined)?.res;
}
