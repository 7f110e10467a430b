import { Injectable } from '@nestjs/common';
import type { HttpRequest } from '../http/http-exchange.js';

type RequestId = string | number;

/**
 * Finds the request a `notifications/cancelled` names on stateless streamable HTTP. Each POST has a server of its
 * own and there is no session id, so the cancel arrives at a server that never saw the request (Gradio's Python
 * server ignores it). Requests in flight are therefore tracked by JSON-RPC id and by who sent them — the client's
 * address and credentials — and a cancel closes the matching request's stream, which aborts its call. A cancel that
 * matches several requests (two clients behind one proxy using the same id) cancels none.
 */
@Injectable()
export class StatelessCancellations {
  private readonly inFlight = new Map<string, Set<() => void>>();

  /** Tracks a request until the returned function is called; `cancel` stops it. */
  track(client: string, id: RequestId, cancel: () => void): () => void {
    const key = keyOf(client, id);
    let handles = this.inFlight.get(key);
    if (!handles) this.inFlight.set(key, (handles = new Set()));
    handles.add(cancel);
    return () => {
      handles.delete(cancel);
      if (handles.size === 0 && this.inFlight.get(key) === handles) this.inFlight.delete(key);
    };
  }

  /** Cancels the one request of `client` with this id; false when there is none, or more than one. */
  cancel(client: string, id: RequestId): boolean {
    const handles = this.inFlight.get(keyOf(client, id));
    if (!handles || handles.size !== 1) return false;
    const [cancel] = handles;
    cancel?.();
    return true;
  }

  get size(): number {
    return this.inFlight.size;
  }
}

/**
 * Who sent a request, as far as a stateless server can tell: its address (behind proxies, the first forwarded one),
 * its credentials and its user agent.
 */
export function clientOf(request: HttpRequest): string {
  const forwarded = request.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  const address = first || request.socket.remoteAddress || '';
  return JSON.stringify([address, request.headers.authorization ?? '', request.headers['user-agent'] ?? '']);
}

function keyOf(client: string, id: RequestId): string {
  return `${client}#${typeof id}:${String(id)}`;
}
