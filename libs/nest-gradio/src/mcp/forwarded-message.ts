import type { Socket } from 'node:net';
import type { HttpRequest } from '../http/http-exchange.js';
import { isJsonObject } from '../http/json-body.js';
import { requestUserOf, setRequestUser } from '../http/request-user.js';
import { authInfoFromJson, type McpAuthInfo } from '../options/mcp-oauth-options.js';
import { recordAdmission, takeAdmission } from './admitted-calls.js';
import type { GuardRefusal } from './mcp-authorization.js';

type RequestId = string | number;

/**
 * A message POSTed for a legacy SSE session whose stream another process of the deployment holds (docs/mcp.md#routes:
 * behind a balancer without sticky sessions), or a request of a streamable-HTTP session held elsewhere. It travels as JSON with what the handlers may read of its request,
 * and with the verdicts of the guards that already ran where it arrived, so that they do not run twice.
 */
export interface ForwardedMessage {
  body: unknown;
  request: {
    headers: HttpRequest['headers'];
    url: string;
    remoteAddress: string | undefined;
    username: string | null;
    auth?: McpAuthInfo;
  };
  verdicts: [RequestId, GuardRefusal | null][];
}

/** The topic on which a legacy SSE session's process hears messages POSTed to other processes. */
export function sseSessionTopic(sessionId: string): string {
  return `mcp-sse:${sessionId}`;
}

/** The message as it leaves the process it was POSTed to, once its tool calls passed call-admission. */
export async function forwardedMessageOf(request: HttpRequest, body: unknown): Promise<ForwardedMessage> {
  const verdicts: ForwardedMessage['verdicts'] = [];
  for (const message of Array.isArray(body) ? body : [body]) {
    const id = isJsonObject(message) ? message['id'] : undefined;
    if (typeof id !== 'string' && typeof id !== 'number') continue;
    const verdict = takeAdmission(request, id);
    if (verdict) verdicts.push([id, (await verdict.catch(() => undefined)) ?? null]);
  }
  const auth = (request as { auth?: McpAuthInfo }).auth;
  return {
    body,
    request: {
      headers: request.headers,
      url: request.originalUrl ?? request.url ?? '/',
      remoteAddress: request.socket.remoteAddress,
      username: requestUserOf(request),
      ...(auth !== undefined ? { auth } : {}),
    },
    verdicts,
  };
}

/**
 * The request the session's process hands its handlers for a forwarded message: the original's headers, URL,
 * address, user and token, with its guards' verdicts recorded on it.
 */
export function standInRequestOf(forwarded: ForwardedMessage, method = 'POST'): HttpRequest {
  const { headers, url, remoteAddress, username } = forwarded.request;
  const auth = forwarded.request.auth && authInfoFromJson(forwarded.request.auth);
  const request = {
    headers,
    method,
    url,
    originalUrl: url,
    socket: { remoteAddress } as Socket,
    body: forwarded.body,
    ...(auth !== undefined ? { auth } : {}),
  } as HttpRequest;
  setRequestUser(request, username);
  for (const [id, refusal] of forwarded.verdicts) recordAdmission(request, id, Promise.resolve(refusal ?? undefined));
  return request;
}
