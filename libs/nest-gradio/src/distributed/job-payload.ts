import type { GradioRequest } from '../options/event-context.interface.js';
import { authInfoFromJson, type McpAuthInfo } from '../options/mcp-oauth-options.js';
import type { QueueEvent } from '../queue/queue-event.js';
import { attachNativeRequest } from '../kernel/native-request.js';
import type { QueueBus, RequestFacet } from '../queue/request-facet.js';

/** What a BullMQ job carries: everything another process needs to run the event. JSON only. */
export interface JobPayload {
  eventId: string;
  sessionHash: string;
  endpointId: number;
  data: unknown[];
  simpleFormat: boolean;
  request: {
    headers: Record<string, string | string[] | undefined>;
    clientAddress: string | undefined;
    url: string;
    username: string | null;
    root: string;
    /** The verified MCP access token (OAuth), when the call carried one. */
    auth?: McpAuthInfo;
    /** The live parts of the request, described by their features (see RequestFacet), by facet name. */
    facets?: Record<string, unknown>;
  };
  /** On the job a batch runs under: the events taken out of the queue to run with it. */
  batch?: JobPayload[];
}

export function payloadOf(event: QueueEvent, facets: readonly RequestFacet[]): JobPayload {
  const { headers, clientAddress, url, username, root, auth } = event.input.request;
  let described: Record<string, unknown> | undefined;
  for (const facet of facets) {
    const value = event.input.request[facet.name];
    if (value !== undefined) (described ??= {})[facet.name] = facet.describe(value);
  }
  return {
    eventId: event.id,
    sessionHash: event.sessionHash,
    endpointId: event.endpoint.id,
    data: event.input.data,
    simpleFormat: event.input.simpleFormat,
    request: {
      headers: { ...headers },
      clientAddress,
      url,
      username,
      root,
      ...(auth && { auth }),
      ...(described && { facets: described }),
    },
  };
}

/**
 * The request of an event that joined on another process. Guards ran there, before it joined; interceptors here
 * see a stand-in for the HTTP request with its headers, URL, address and user (the live request is elsewhere), and
 * handlers stand-ins for its live parts that reach them there (the MCP client).
 */
export function requestOf(payload: JobPayload, facets: readonly RequestFacet[], bus: QueueBus): GradioRequest {
  const { facets: described, ...request } = payload.request;
  const native = {
    headers: request.headers,
    url: request.url,
    originalUrl: request.url,
    ip: request.clientAddress,
    user: request.username === null ? undefined : { username: request.username },
  };
  const auth = request.auth && authInfoFromJson(request.auth);
  const rebuilt = attachNativeRequest({ ...request, ...(auth && { auth }) }, native);
  for (const facet of facets) {
    const description = described?.[facet.name];
    if (description === undefined) continue;
    const value = facet.revive(description, payload.eventId, bus);
    Object.defineProperty(rebuilt, facet.name, { value, enumerable: false });
  }
  return rebuilt;
}
