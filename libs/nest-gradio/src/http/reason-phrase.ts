import type { ServerResponse } from 'node:http';
import { type HttpResponse, nodeResponseOf } from './http-exchange.js';

/** Longest text sent as a reason phrase; a longer message keeps the standard phrase (and its body). */
const MAX_REASON_LENGTH = 200;
/** Printable ASCII only: what every client decodes, and a subset of what Node lets through. */
const SAFE_REASON = /^[\x20-\x7e]+$/;

/**
 * Sends `text` as the reason phrase of the status line when the response is answered with `status`: Python's
 * `gradio_client` raises httpx's `HTTPStatusError`, whose message shows the status line and not the body
 * (`Client error '429 ThrottlerException: Too Many Requests' for url …`), so a refusal's message reaches its user
 * there too. Only at `status`: an exception filter that answers with another status keeps that status's phrase.
 * A text that is not printable ASCII, or is long, is left out.
 */
export function reasonPhraseAt(response: HttpResponse, status: number, text: string): void {
  if (text.length > MAX_REASON_LENGTH || !SAFE_REASON.test(text)) return;
  const node = nodeResponseOf(response);
  if (node.headersSent) return;
  // Both adapters end in writeHead (Fastify with the headers, Express without arguments); a filter's status is
  // known only then. One call: the wrapper goes away with it.
  const hadOwn = Object.hasOwn(node, 'writeHead');
  const writeHead = node.writeHead;
  node.writeHead = function (this: ServerResponse, code: number, ...rest: unknown[]): ServerResponse {
    if (hadOwn) node.writeHead = writeHead;
    else delete (node as Partial<ServerResponse>).writeHead;
    const explicitReason = typeof rest[0] === 'string';
    const args = code === status && !explicitReason ? [text, ...rest] : rest;
    return (writeHead as (...all: unknown[]) => ServerResponse).call(this, code, ...args);
  } as ServerResponse['writeHead'];
}
