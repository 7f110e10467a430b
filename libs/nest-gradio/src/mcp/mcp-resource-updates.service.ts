import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Server } from '../kernel/optional-package.js';
import { QueueService } from '../queue/queue.service.js';

/** The bus topic on which, in distributed mode, every process hears of a changed resource. */
const RESOURCE_UPDATED_TOPIC = 'mcp-resource-updated';

interface Subscriber {
  server: Server;
  /** The URIs the session subscribed to with `resources/subscribe`. */
  uris: Set<string>;
}

/**
 * Tells MCP clients that a resource changed (docs/mcp.md#resource-subscriptions): clients on a session (stateful
 * streamable HTTP, legacy SSE, stdio) subscribe to URIs with `resources/subscribe`, and `resourceUpdated(uri)` sends
 * `notifications/resources/updated` to those subscribed to it, who then read it again. Inject it where the data
 * changes. In distributed mode the sessions subscribed may live on any process: the URI goes to every one.
 *
 * @publicApi
 */
@Injectable()
export class McpResourceUpdates implements OnModuleInit, OnModuleDestroy {
  private readonly subscribers = new Set<Subscriber>();
  private stopListening: (() => void) | undefined;

  constructor(private readonly queue: QueueService) {}

  /** @internal */
  async onModuleInit(): Promise<void> {
    if (!this.queue.spansProcesses) return;
    this.stopListening = await this.queue.listening(RESOURCE_UPDATED_TOPIC, (uri) => void this.tellSessionsHere(uri));
  }

  /** @internal */
  onModuleDestroy(): void {
    this.stopListening?.();
  }

  /**
   * Sends `notifications/resources/updated` for `uri` to every session subscribed to it; in distributed mode,
   * resolves once every process was sent the URI.
   */
  async resourceUpdated(uri: string): Promise<void> {
    if (this.stopListening) await this.queue.broadcast(RESOURCE_UPDATED_TOPIC, uri);
    else await this.tellSessionsHere(uri);
  }

  private async tellSessionsHere(uri: string): Promise<void> {
    const sends = [...this.subscribers]
      .filter((subscriber) => subscriber.uris.has(uri))
      // A session that went away meanwhile cannot be told.
      .map(({ server }) => server.sendResourceUpdated({ uri }).catch(() => undefined));
    await Promise.all(sends);
  }

  /** Registers a session's server; the returned set holds its subscriptions, forgotten when the server closes. */
  track(server: Server): Set<string> {
    const subscriber: Subscriber = { server, uris: new Set() };
    this.subscribers.add(subscriber);
    const previous = server.onclose;
    server.onclose = () => {
      this.subscribers.delete(subscriber);
      previous?.();
    };
    return subscriber.uris;
  }
}
