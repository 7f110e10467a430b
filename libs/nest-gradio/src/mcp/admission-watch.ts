import type { ServerResponse } from 'node:http';
import type { StatelessCancellations } from './stateless-cancellations.js';

type RequestId = string | number;

/** What a client did to a stateless POST while its tool calls passed their guards. */
export interface AdmissionWatch {
  /** Stops listening; true when the client hung up or cancelled every request the POST carries. */
  stop(): boolean;
}

/**
 * Listens, while a stateless POST's tool calls pass their guards (call-admission.ts), for its client giving them up:
 * a `notifications/cancelled` naming its requests, or the client hanging up. The transport hears of either only once
 * it has the request, and a guard may take its time (a throttler's store, a user looked up), so without this a call
 * given up on during its guards would still be handed to the transport, and run for nobody.
 */
export function watchAdmission(
  cancellations: StatelessCancellations,
  client: string,
  requestIds: RequestId[],
  response: ServerResponse,
): AdmissionWatch {
  const cancelled = new Set<RequestId>();
  const untrack = requestIds.map((id) => cancellations.track(client, id, () => cancelled.add(id)));
  let hungUp = false;
  const onClose = (): void => {
    hungUp = !response.writableFinished;
  };
  response.once('close', onClose);
  return {
    stop: () => {
      for (const stop of untrack) stop();
      response.off('close', onClose);
      return hungUp || response.destroyed || (requestIds.length > 0 && cancelled.size === requestIds.length);
    },
  };
}
