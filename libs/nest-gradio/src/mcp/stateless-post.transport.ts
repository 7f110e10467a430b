import type { ServerResponse } from 'node:http';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { isRequest, type StatelessPost } from './stateless-post-check.js';

/** The headers of the SSE stream that answers a POST, as the SDK's streamable HTTP transport sends them. */
const SSE_HEADERS: [string, string][] = [
  ['Content-Type', 'text/event-stream'],
  ['Cache-Control', 'no-cache, no-transform'],
  ['Connection', 'keep-alive'],
  ['X-Accel-Buffering', 'no'],
];

/**
 * The SDK server's transport for one stateless streamable-HTTP POST (docs/mcp.md#routes), writing to the Node
 * response itself. The SDK's web-standard transport answers through a web `Request`, a `ReadableStream` and a
 * `Response` that must then be copied to the Node response: that machinery was about a third of a tool call's CPU
 * (docs/performance.md). The wire is the same: requests get an SSE stream of the notifications related to
 * them and then their answers, and the stream ends with the last answer; a POST of notifications only gets 202.
 * The POST was checked before (stateless-post-check.ts).
 */
export class StatelessPostTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  /** The POST's requests, and those still waiting for their answer. */
  private readonly requests = new Set<RequestId>();
  private readonly unanswered = new Set<RequestId>();
  private closed = false;
  private draining?: Promise<void>;

  constructor(private readonly response: ServerResponse) {}

  start(): Promise<void> {
    return Promise.resolve();
  }

  /** Hands the POST's messages to the server. Call once, after the server connected. */
  receive(post: StatelessPost, extra: MessageExtraInfo): void {
    const { response } = this;
    if (!post.expectsAnswers) {
      response.writeHead(202).end();
    } else {
      for (const message of post.messages) {
        if (!isRequest(message)) continue;
        this.requests.add(message.id);
        this.unanswered.add(message.id);
      }
      // Beside what the app's middleware and guards already set (CORS, rate-limit headers).
      for (const [name, value] of SSE_HEADERS) response.setHeader(name, value);
      response.statusCode = 200;
      // A long call's client waits for the headers; they go at the end of this turn unless a quick answer's first
      // write takes them along (one write instead of two).
      setImmediate(() => {
        if (!response.headersSent && !response.destroyed) response.flushHeaders();
      });
    }
    for (const message of post.messages) this.onmessage?.(message, extra);
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const answers = 'result' in message || 'error' in message;
    const requestId = answers ? message.id : options?.relatedRequestId;
    // Without a request to relate it to, a message would go to a standalone stream, which a stateless POST has not.
    if (requestId === undefined || this.closed || this.response.writableEnded) return Promise.resolve();
    if (!this.requests.has(requestId)) {
      return Promise.reject(new Error(`No connection established for request ID: ${String(requestId)}`));
    }
    const flowing = this.response.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
    if (answers) {
      this.unanswered.delete(requestId);
      if (this.unanswered.size === 0) this.response.end();
    }
    return flowing ? Promise.resolve() : this.drained();
  }

  /** Ends the stream without the answers still due; the server then aborts their handlers. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    if (!this.response.writableEnded && !this.response.destroyed) this.response.end();
    this.onclose?.();
    return Promise.resolve();
  }

  /**
   * Resolves when the socket takes more, or the client is gone. One wait for all the sends behind it: the server
   * does not wait for each notification before the next, and a listener each would pile up on a slow client.
   */
  private drained(): Promise<void> {
    if (this.response.destroyed) return Promise.resolve();
    this.draining ??= new Promise((resolve) => {
      const done = (): void => {
        this.response.off('drain', done);
        this.response.off('close', done);
        this.draining = undefined;
        resolve();
      };
      this.response.on('drain', done);
      this.response.on('close', done);
    });
    return this.draining;
  }
}
