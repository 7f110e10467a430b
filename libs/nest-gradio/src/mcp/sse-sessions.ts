import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';

export interface SseSession {
  transport: SSEServerTransport;
  server: Server;
}

/**
 * The open legacy-SSE sessions, by the id advertised in their `endpoint` event. Each holds an HTTP response open;
 * they are closed before the HTTP server stops, which would otherwise wait for them forever.
 */
@Injectable()
export class SseSessions implements BeforeApplicationShutdown {
  private readonly sessions = new Map<string, SseSession>();

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
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(sessions.map(({ server }) => server.close().catch(() => undefined)));
  }
}
