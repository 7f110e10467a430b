import type { GradioRequest } from '../options/event-context.interface.js';

/** The queue's messages between the processes of a deployment, as {@link QueueService} carries them. */
export interface QueueBus {
  broadcast(topic: string, message: string): Promise<number>;
  /** Hears what is broadcast on `topic` once this resolves; the function it resolves to stops listening. */
  listening(topic: string, hear: (message: string) => void): Promise<() => void>;
}

/**
 * A part of an event's request that is a live object rather than data — the MCP client a handler may ask — and so
 * does not travel with a job that another process runs (distributed mode). It is a property of the request that is
 * not enumerable (copies of the request leave it out). Its feature describes it in JSON on the process where the
 * event joined, which goes on serving the original, and revives a stand-in for the request rebuilt where the job
 * runs; the stand-in reaches the original over the queue's bus.
 */
export interface RequestFacet {
  /** The request's property that holds it; also the description's key in the job. */
  readonly name: keyof GradioRequest;
  /** JSON describing the request's facet (the property's value, present). */
  describe(value: unknown): unknown;
  /** The stand-in, on the process running event `eventId`. */
  revive(description: unknown, eventId: string, bus: QueueBus): unknown;
}
