import type { GuardRefusal } from './mcp-authorization.js';

type RequestId = string | number;
type Verdict = Promise<GuardRefusal | undefined>;

/**
 * The guards' verdict on each `tools/call` of an HTTP request, by JSON-RPC id, from the moment call-admission.ts ran
 * them until the call's handler takes it: each call's guards run once. Held weakly, by the adapter's request.
 */
const verdicts = new WeakMap<object, Map<RequestId, Verdict>>();

export function recordAdmission(native: object, id: RequestId, verdict: Verdict): void {
  let byId = verdicts.get(native);
  if (!byId) verdicts.set(native, (byId = new Map()));
  byId.set(id, verdict);
}

/**
 * The verdict recorded for the call `id` carried by the adapter's request `native`, taken once; undefined when none
 * was (stdio, a message that reached no admission).
 */
export function takeAdmission(native: unknown, id: RequestId | undefined): Verdict | undefined {
  if (typeof native !== 'object' || native === null || id === undefined) return undefined;
  const byId = verdicts.get(native);
  const verdict = byId?.get(id);
  byId?.delete(id);
  return verdict;
}
