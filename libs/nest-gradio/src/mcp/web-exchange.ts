import type { ServerResponse } from 'node:http';
import { type HttpRequest, requestUrlOf } from '../http/http-exchange.js';
import type { McpAuthInfo } from '../options/mcp-oauth-options.js';

/**
 * Where a web `Response` of the MCP SDK's web-standard transports goes: the client's Node response, or another
 * process that holds the client's connection (an MCP session's exchange relayed through Redis).
 */
export interface ExchangeSink {
  /** Status and headers, before any chunk. */
  head(status: number, headers: [string, string][]): void | Promise<void>;
  /** A chunk of the body; resolves when the sink takes more. */
  write(chunk: Uint8Array): void | Promise<void>;
  end(): void | Promise<void>;
  /** Resolves if the receiver goes away before the end: the body is then cancelled (the transport forgets it). */
  readonly gone: Promise<void>;
}

/** The web `Request` the SDK's web-standard transports take, rebuilt from the adapter's (whose body Nest read). */
export function webRequestOf(request: HttpRequest, body?: unknown, signal?: AbortSignal): globalThis.Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const protocol = (request as { protocol?: string }).protocol ?? 'http';
  const url = `${protocol}://${request.headers.host ?? 'localhost'}${requestUrlOf(request)}`;
  return new Request(url, {
    method: request.method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(signal ? { signal } : {}),
  });
}

/** The OAuth token's info the bearer middleware put on the request (docs/mcp.md#oauth). */
export function authOf(request: HttpRequest): McpAuthInfo | undefined {
  return (request as { auth?: McpAuthInfo }).auth;
}

/**
 * Sends `answer` to `sink` as it is produced (SSE events one by one); cancels its body if the sink goes. The sink's
 * steps are awaited only when they return a promise, and its departure cancels the body once rather than racing
 * every read: each promise costs the promise hooks of the async context, and a call's answer is read chunk by chunk.
 */
export async function sendWebResponse(answer: globalThis.Response, sink: ExchangeSink): Promise<void> {
  const headers: [string, string][] = [];
  answer.headers.forEach((value, name) => headers.push([name, value]));
  const headSent = sink.head(answer.status, headers);
  if (headSent) await headSent;
  if (!answer.body) {
    const ended = sink.end();
    if (ended) await ended;
    return;
  }
  const reader = answer.body.getReader();
  let gone = false;
  // Cancelling ends a pending read (done), and the transport forgets the stream.
  void sink.gone.then(() => {
    gone = true;
    return reader.cancel().catch(() => undefined);
  });
  for (;;) {
    const next = await reader.read();
    if (gone) return;
    if (next.done) {
      const ended = sink.end();
      if (ended) await ended;
      return;
    }
    const written = sink.write(next.value);
    if (written) await written;
  }
}

/** The client's own Node response as a sink; a write waits while the socket is behind. */
export function nodeSink(response: ServerResponse): ExchangeSink {
  const gone = new Promise<void>((resolve) =>
    response.once('close', () => {
      if (!response.writableFinished) resolve();
    }),
  );
  let bodyStarted = false;
  return {
    head: (status, headers) => {
      // Beside what the app's middleware and guards already set (CORS, rate-limit headers).
      for (const [name, value] of headers) response.setHeader(name, value);
      response.writeHead(status);
      // An SSE stream may stay quiet for long (a session's standalone stream, a long tool call): its client waits for
      // the headers. They go at the end of this turn unless the body's first chunk took them along before: an answer
      // that is ready at once leaves in one write instead of two.
      setImmediate(() => {
        if (!bodyStarted && !response.writableEnded && !response.destroyed) response.flushHeaders();
      });
    },
    write: (chunk) => {
      bodyStarted = true;
      if (response.write(chunk)) return undefined;
      return Promise.race([new Promise<void>((resolve) => response.once('drain', resolve)), gone]);
    },
    end: () => {
      bodyStarted = true;
      response.end();
    },
    gone,
  };
}
