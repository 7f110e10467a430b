import { Injectable } from '@nestjs/common';
import type { Server } from '../kernel/optional-package.js';

interface Subscriber {
  server: Server;
  /** The URIs the session subscribed to with `resources/subscribe`. */
  uris: Set<string>;
}

/**
 * Tells MCP clients that a resource changed (docs/mcp.md#resource-subscriptions): clients on a session (stateful
 * streamable HTTP, legacy SSE, stdio) subscribe to URIs with `resources/subscribe`, and `resourceUpdated(uri)` sends
 * `notifications/resources/updated` to those subscribed to it, who then read it again. Inject it where the data
 * changes.
 *
 * @publicApi
 */
@Injectable()
export class McpResourceUpdates {
  private readonly subscribers = new Set<Subscriber>();

  /** Sends `notifications/resources/updated` for `uri` to every session subscribed to it. */
  async resourceUpdated(uri: string): Promise<void> {
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
