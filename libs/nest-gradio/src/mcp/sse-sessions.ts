import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { QueueService } from '../queue/queue.service.js';
import type { MessageCarriers } from './message-carriers.js';

export interface SseSession {
  transport: SSEServerTransport;
  server: Server;
  /** The requests that carried the session's messages, for their handlers. */
  carriers: MessageCarriers;
}

/**
 * The open legacy-SSE sessions, by the id advertised in their `endpoint` event. Each holds an HTTP response open;
 * they are closed before the HTTP server stops, which would otherwise wait for them forever — but only once the
 * queue has stopped, so that calls in flight on them may finish within the shutdown deadline.
 */
@Injectable()
export class SseSessions implements BeforeApplicationShutdown {
  private readonly sessions = new Map<string, SseSession>();

  constructor(private readonly queue: QueueService) {}

  /** False once the server stops: a client reconnecting then would hold the HTTP server open. */
  get accepting(): boolean {
    return !this.queue.isStopping;
  }

  add(session: SseSession): void {
    this.sessions.set(session.transport.sessionId, session);
  }

  get(sessionId: string): SseSession | undefined {
    return this.sessions.get(sessionId);
  }

  delete(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  get size(): number {
    return this.sessions.size;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.queue.stop();
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(sessions.map(({ server }) => server.close().catch(() => undefined)));
  }
}
