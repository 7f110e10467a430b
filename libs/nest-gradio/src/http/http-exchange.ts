import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * What the library reads of a request, whichever HTTP adapter the application runs on: Express's request (a Node
 * `IncomingMessage`), Fastify's request (which wraps one as `raw`), or the Node request that Nest middleware gets
 * under Fastify. Only what all three have, plus `body` (set by the adapters' body parsers).
 */
export interface HttpRequest {
  readonly headers: IncomingHttpHeaders;
  readonly method?: string;
  readonly url?: string;
  /** Express and Fastify: the URL as the client sent it, before any mount or prefix was stripped. */
  readonly originalUrl?: string;
  readonly socket: Socket;
  body?: unknown;
  /** Fastify: the Node request. */
  readonly raw?: IncomingMessage;
}

/** A route's or middleware's response object: Express's response, Fastify's reply, or a Node `ServerResponse`. */
export type HttpResponse = object;

/** The Node request behind a request of either adapter (to read its body as a stream). */
export function nodeRequestOf(request: HttpRequest): IncomingMessage {
  return request.raw ?? (request as unknown as IncomingMessage);
}

/**
 * Calls `closed` once the connection of a Node request or response closes, or at once when it already has. Node emits
 * `close` only once: a client that hung up while an asynchronous guard, interceptor or pipe ran is gone before the
 * handler can listen, and what the handler opened for it (a stream, a timer, its events) would stay for nobody.
 */
export function onceClosed(stream: IncomingMessage | ServerResponse, closed: () => void): void {
  if (stream.destroyed) closed();
  else stream.once('close', closed);
}

/** The request URL (path and query) as the client sent it. */
export function requestUrlOf(request: HttpRequest): string {
  return request.originalUrl ?? request.raw?.url ?? request.url ?? '/';
}

/** The path of the request URL, without the query. */
export function requestPathOf(request: HttpRequest): string {
  const url = requestUrlOf(request);
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/** Every value of a query parameter (`?tools=a&tools=b`), read from the URL (middleware has no parsed query). */
export function queryValuesOf(request: HttpRequest, name: string): string[] {
  return new URL(requestUrlOf(request), 'http://localhost').searchParams.getAll(name);
}

/** Whether the request says its body is JSON (`application/json` or a `+json` type), as Express's `req.is()`. */
export function isJsonRequest(request: HttpRequest): boolean {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

/**
 * The Node response behind a response of either adapter, which the caller now writes itself (streams, files, raw
 * answers). Fastify is told that the handler owns the reply (`hijack()`): it would otherwise answer again, with an
 * empty body, when the handler returns before the stream is done. Take it over only once nothing can throw any more
 * before writing: an exception after a hijack can no longer become an error response.
 */
export function takeOverResponse(response: HttpResponse): ServerResponse {
  const reply = response as { raw?: ServerResponse; hijack?: () => void; getHeaders?: () => OutgoingHttpHeaders };
  if (reply.raw !== undefined && typeof reply.hijack === 'function') {
    // Headers a guard set on the reply (a throttler's X-RateLimit-*) are Fastify's to send; a hijacked reply never
    // sends them, so they move to the Node response, where Express's guards would have put them.
    const raw = reply.raw;
    if (!raw.headersSent) {
      for (const [name, value] of Object.entries(reply.getHeaders?.() ?? {}))
        if (value !== undefined && !raw.hasHeader(name)) raw.setHeader(name, value);
    }
    reply.hijack();
    return raw;
  }
  return response as ServerResponse;
}

/** A header already set on a response of either adapter (Fastify keeps the reply's headers apart until it sends). */
export function responseHeaderOf(response: HttpResponse, name: string): OutgoingHttpHeaders[string] {
  const reply = response as { getHeader?: (name: string) => OutgoingHttpHeaders[string] };
  return reply.getHeader?.(name) ?? nodeResponseOf(response).getHeader(name);
}

/**
 * The Node response behind a response of either adapter, for headers only: the adapter still sends the answer
 * (Fastify merges headers set on its Node response into the one it sends).
 */
export function nodeResponseOf(response: HttpResponse): ServerResponse {
  return (response as { raw?: ServerResponse }).raw ?? (response as ServerResponse);
}

/** Answers at once with a status, headers and a body, taking the response over. */
export function sendRaw(
  response: HttpResponse,
  status: number,
  body: string | Buffer | undefined,
  headers: OutgoingHttpHeaders = {},
): void {
  const node = takeOverResponse(response);
  node.statusCode = status;
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) node.setHeader(name, value);
  if (body !== undefined && !node.hasHeader('content-length'))
    node.setHeader('Content-Length', Buffer.byteLength(body));
  node.end(body);
}

/** Answers with a JSON body. */
export function sendJson(
  response: HttpResponse,
  status: number,
  value: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  sendRaw(response, status, JSON.stringify(value), { 'Content-Type': 'application/json; charset=utf-8', ...headers });
}

/** Answers with an HTML page. */
export function sendHtml(
  response: HttpResponse,
  status: number,
  html: string,
  headers: OutgoingHttpHeaders = {},
): void {
  sendRaw(response, status, html, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
}

/** Answers with plain text. */
export function sendText(
  response: HttpResponse,
  status: number,
  text: string,
  headers: OutgoingHttpHeaders = {},
): void {
  sendRaw(response, status, text, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
}

/** A redirect, with the location in the `Location` header (and no body). */
export function redirect(response: HttpResponse, status: number, location: string): void {
  sendRaw(response, status, '', { Location: location });
}

/** Adds a field to the `Vary` header (once), as Express's `res.vary()`. */
export function addVary(response: ServerResponse, field: string): void {
  const current = response.getHeader('Vary');
  const fields = (Array.isArray(current) ? current.join(',') : String(current ?? ''))
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
  if (fields.includes('*') || fields.some((value) => value.toLowerCase() === field.toLowerCase())) return;
  response.setHeader('Vary', [...fields, field].join(', '));
}
