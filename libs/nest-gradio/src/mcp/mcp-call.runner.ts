import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { CancelSignal } from './call-cancellation.js';
import { guardRefusalOf } from './mcp-authorization.js';
import { takeAdmission } from './admitted-calls.js';
import { nativeRequestOf } from '../kernel/native-request.js';
import type { Subscription } from 'rxjs';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import type { GradioRequest } from '../options/event-context.interface.js';
import { QueueRefusedError } from '../queue/queue-refused.error.js';
import type { ErrorPayload, OutputPayload, QueueMessage } from '../wire/queue-message.interface.js';
import { QueueService } from '../queue/queue.service.js';
import { MCP_CLIENT_FACET, serveMcpClient } from './remote-mcp-client.js';

/** How one MCP call of an endpoint ended. */
export type McpCallOutcome =
  | { kind: 'success'; data: unknown[] }
  /** `error` is null when the handler's error is hidden (`showError` off). */
  | { kind: 'failure'; error: string | null; title: string | null }
  | { kind: 'cancelled' };

/** One call to run through the queue. */
export interface McpCall {
  endpoint: Endpoint;
  /** One value per parameter; `undefined` where the queue should apply the default. */
  data: unknown[];
  request: GradioRequest;
  /** The JSON-RPC id of the request, under which the guards' verdict may have been recorded before it was handled. */
  requestId?: string | number;
  /** Fires when the MCP request is cancelled or its connection closes: the event is cancelled. */
  signal: CancelSignal;
  /** Every message of the event's session stream before its completion (for progress notifications). */
  onMessage?: (message: QueueMessage) => void;
}

/**
 * Runs MCP calls through the queue, exactly as the Gradio clients' calls run: each call joins with a session of
 * its own and follows the session's stream to its completion, so concurrency limits, the global cap, time limits
 * and cancellation all apply. A cancelled MCP request cancels its event, which fires the handler's AbortSignal and
 * frees its slot.
 */
@Injectable()
export class McpCallRunner implements OnModuleInit {
  constructor(private readonly queue: QueueService) {}

  /** The jobs of MCP calls may run on another process (distributed mode): their handlers' client goes with them. */
  onModuleInit(): void {
    this.queue.addRequestFacet(MCP_CLIENT_FACET);
  }

  async run(call: McpCall): Promise<McpCallOutcome> {
    if (call.signal.aborted) return { kind: 'cancelled' };
    // The method's guards run before its event is queued, with the MCP POST as the request: already, for a call
    // of an HTTP POST (call-admission.ts), else now.
    const native = nativeRequestOf(call.request);
    const verdict = takeAdmission(native, call.requestId) ?? guardRefusalOf(call.endpoint, native);
    const refusal = verdict && (await verdict)?.message;
    if (refusal !== undefined) return { kind: 'failure', error: refusal, title: null };
    // Cancelled while its guards ran: an aborted signal fires no more 'abort' events, so follow() would never hear
    // of it, and the event would run (and hold its slot) for nobody.
    if (call.signal.aborted) return { kind: 'cancelled' };
    return this.follow(call);
  }

  private async follow(call: McpCall): Promise<McpCallOutcome> {
    const sessionHash = randomUUID().replaceAll('-', '');
    let eventId: string;
    try {
      eventId = (
        await this.queue.joinWhenCounted(call.endpoint, {
          sessionHash,
          data: call.data,
          simpleFormat: true,
          request: call.request,
        })
      ).id;
    } catch (error) {
      if (error instanceof QueueRefusedError) return { kind: 'failure', error: error.message, title: error.title };
      throw error;
    }
    // Cancelled while the shared queue was counted (distributed mode).
    if (call.signal.aborted) {
      this.queue.cancel(sessionHash, eventId);
      return { kind: 'cancelled' };
    }
    // A job run by another process asks the call's client through this one, which holds its connection.
    const client = call.request.mcp;
    const serving = client && this.queue.spansProcesses ? serveMcpClient(this.queue, eventId, client) : undefined;
    return new Promise((resolve) => {
      let outcome: McpCallOutcome | undefined;
      // Assigned once the stream is opened, below; settle() may run before that, from the opening itself.
      // eslint-disable-next-line prefer-const
      let subscription: Subscription | undefined;
      let settled = false;
      const settle = (result: McpCallOutcome): void => {
        if (settled) return;
        settled = true;
        call.signal.removeEventListener('abort', onAbort);
        subscription?.unsubscribe();
        void serving?.then((stop) => stop());
        resolve(result);
      };
      const onAbort = (): void => {
        // Cancelling first delivers the event's completion, so that dropping the stream then finds nothing to abort.
        this.queue.cancel(sessionHash, eventId);
        settle({ kind: 'cancelled' });
      };
      call.signal.addEventListener('abort', onAbort, { once: true });
      subscription = this.queue.openStream(sessionHash, { heartbeats: false }).subscribe({
        next: (message) => {
          if (message.msg === 'process_completed' && message.event_id === eventId) {
            outcome ??= completionOf(message.output, message.success);
          } else if (message.msg === 'unexpected_error')
            outcome ??= { kind: 'failure', error: message.message, title: null };
          else if (outcome === undefined) call.onMessage?.(message);
        },
        complete: () => settle(outcome ?? { kind: 'failure', error: 'The call ended without a result.', title: null }),
      });
      if (settled) subscription.unsubscribe();
    });
  }
}

function completionOf(output: OutputPayload | ErrorPayload, success: boolean): McpCallOutcome {
  if (success) return { kind: 'success', data: (output as OutputPayload).data };
  const failure = output as ErrorPayload;
  return { kind: 'failure', error: failure.error, title: failure.title ?? null };
}
