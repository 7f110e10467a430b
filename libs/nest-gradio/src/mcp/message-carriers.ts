import type { HttpRequest } from '../http/http-exchange.js';

/**
 * Most requests remembered per session. A request the SDK answers without a handler (an unknown method) is never
 * taken; the oldest entries make way, so a client cannot grow the map.
 */
const MAX_CARRIED = 256;

/**
 * On a session (legacy SSE, stateful streamable HTTP) each message arrives in an HTTP request of its own, with its
 * own headers and user, and its handler runs later, when the SDK calls it: the handler finds its request here by
 * its JSON-RPC id. Passed explicitly rather than through an AsyncLocalStorage, whose first use would turn on Node's
 * async hooks for the whole process (docs/performance.md#the-event-context-is-opt-in).
 */
export class MessageCarriers {
  private readonly byId = new Map<string | number, HttpRequest>();

  /** Records `request` as the carrier of every JSON-RPC request in `body` (one message, or a batch). */
  carry(body: unknown, request: HttpRequest): void {
    for (const message of Array.isArray(body) ? body : [body]) {
      const id = requestIdOf(message);
      if (id === undefined) continue;
      this.byId.delete(id);
      if (this.byId.size >= MAX_CARRIED) this.byId.delete(this.byId.keys().next().value as string | number);
      this.byId.set(id, request);
    }
  }

  /** The request that carried request `id`, once (its handler asks when it starts); undefined if none is known. */
  take(id: string | number): HttpRequest | undefined {
    const request = this.byId.get(id);
    this.byId.delete(id);
    return request;
  }
}

/** The id of a JSON-RPC request (a message with a method and an id); undefined for anything else. */
function requestIdOf(message: unknown): string | number | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { method, id } = message as { method?: unknown; id?: unknown };
  if (typeof method !== 'string') return undefined;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}
