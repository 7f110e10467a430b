import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { HttpRequest } from '../http/http-exchange.js';
import type { QueueBus } from '../queue/request-facet.js';
import { type ForwardedMessage, forwardedMessageOf } from './forwarded-message.js';
import type { ExchangeSink } from './web-exchange.js';

/** One HTTP exchange of an MCP session (POST, GET or DELETE), sent to the process that holds the session. */
export interface RelayedExchange {
  /** The topic the answer goes back on, in frames. */
  reply: string;
  method: string;
  message: ForwardedMessage;
}

/** The answer, in order: its head, its body in pieces (text: MCP speaks JSON and SSE), its end; pings between. */
type Frame = { head: [number, [string, string][]] } | { data: string } | { end: true } | { ping: true };

/** How often each side makes sure the other is still there during a long answer (a session's SSE stream). */
const PING_MS = 5000;
/** Unsent bytes a relaying process keeps for a client that does not read before it gives up on the client. */
const MAX_UNSENT = 1024 * 1024;

/** What a client gets when the session's process failed to answer, as the SDK's transport words its own errors. */
const INTERNAL_ERROR = { jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null };

const sessionTopic = (sessionId: string): string => `mcp-session:${sessionId}`;

/**
 * MCP sessions (`mcp.sessions: 'stateful'`) in distributed mode without sticky routing (docs/mcp.md#sessions): a
 * session lives on the process that initialized it, and a request for it that a balancer sent elsewhere is relayed
 * there over the queue's bus. The receiving process runs its guards first (their verdicts travel with it, as for
 * the legacy SSE transport's messages), and writes the answer that comes back in frames to its client; the holding
 * process answers it from the session's transport as if it had come in itself. Each side stops when the other is
 * gone: the holder sees nobody listening to the answer's topic, the receiver nobody to the session's.
 */
export class SessionRelay {
  constructor(private readonly bus: QueueBus) {}

  /**
   * On the process that holds the session: serves the exchanges relayed by the others, until the returned function
   * is called (the session ended).
   */
  hold(
    sessionId: string,
    serve: (exchange: RelayedExchange, sink: ExchangeSink) => Promise<void>,
    failed: (error: unknown) => void,
  ): Promise<() => void> {
    return this.bus.listening(sessionTopic(sessionId), (text) => {
      const exchange = JSON.parse(text) as RelayedExchange | { ping: true };
      if ('ping' in exchange) return;
      const sink = this.sinkFor(exchange.reply);
      serve(exchange, sink).catch((error: unknown) => {
        failed(error);
        void sink.fail();
      });
    });
  }

  /**
   * On another process: relays the request to the process holding the session and writes its answer to `response`.
   * False, with nothing written, when no process holds the session.
   */
  async relay(sessionId: string, request: HttpRequest, response: ServerResponse, body: unknown): Promise<boolean> {
    const reply = `mcp-relay:${randomUUID()}`;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const stop = await this.bus.listening(reply, (text) => this.deliver(JSON.parse(text) as Frame, response, finish));
    response.once('close', finish);
    const exchange: RelayedExchange = {
      reply,
      method: request.method ?? 'POST',
      message: await forwardedMessageOf(request, body),
    };
    const heard = await this.bus.broadcast(sessionTopic(sessionId), JSON.stringify(exchange)).catch(() => 0);
    if (heard === 0) {
      stop();
      return false;
    }
    const pinger = setInterval(() => {
      this.bus
        .broadcast(sessionTopic(sessionId), JSON.stringify({ ping: true }))
        .catch(() => 0)
        .then((listening) => {
          if (listening > 0) return;
          // The session's process died: the session went with it (a client that reconnects is told so).
          if (!response.headersSent) response.writeHead(404).end();
          else response.end();
          finish();
        })
        .catch(() => undefined);
    }, PING_MS).unref();
    await finished;
    clearInterval(pinger);
    stop();
    return true;
  }

  private deliver(frame: Frame, response: ServerResponse, finish: () => void): void {
    if ('head' in frame) {
      const [status, headers] = frame.head;
      for (const [name, value] of headers) response.setHeader(name, value);
      response.writeHead(status);
      response.flushHeaders();
    } else if ('data' in frame) {
      response.write(frame.data);
      if (response.writableLength > MAX_UNSENT) response.destroy();
    } else if ('end' in frame) {
      response.end();
      finish();
    }
  }

  /**
   * Frames on the answer's topic; gone once nobody listens there (the client left, or its process died). `fail`
   * ends an answer its exchange could not finish (a 500 if nothing was sent yet).
   */
  private sinkFor(reply: string): ExchangeSink & { fail(): Promise<void> } {
    let headed = false;
    let leave!: () => void;
    const gone = new Promise<void>((resolve) => (leave = resolve));
    const send = async (frame: Frame): Promise<void> => {
      if ((await this.bus.broadcast(reply, JSON.stringify(frame)).catch(() => 0)) === 0) leave();
    };
    const decoder = new TextDecoder();
    const pinger = setInterval(() => void send({ ping: true }), PING_MS).unref();
    void gone.then(() => clearInterval(pinger));
    const end = async (): Promise<void> => {
      clearInterval(pinger);
      await send({ end: true });
    };
    return {
      head: (status, headers) => {
        headed = true;
        return send({ head: [status, headers] });
      },
      write: (chunk) => send({ data: decoder.decode(chunk, { stream: true }) }),
      end,
      gone,
      fail: async () => {
        if (!headed) {
          await send({ head: [500, [['content-type', 'application/json']]] });
          await send({ data: JSON.stringify(INTERNAL_ERROR) });
        }
        await end();
      },
    };
  }
}
