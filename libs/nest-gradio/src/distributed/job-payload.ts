import type { GradioRequest } from '../options/event-context.interface.js';
import type { QueueEvent } from '../queue/queue-event.js';
import { attachNativeRequest } from '../kernel/native-request.js';

/** What a BullMQ job carries: everything another process needs to run the event. JSON only. */
export interface JobPayload {
  eventId: string;
  sessionHash: string;
  endpointId: number;
  data: unknown[];
  simpleFormat: boolean;
  request: {
    headers: Record<string, string | string[] | undefined>;
    clientAddress: string | undefined;
    url: string;
    username: string | null;
    root: string;
  };
  /** On the job a batch runs under: the events taken out of the queue to run with it. */
  batch?: JobPayload[];
}

export function payloadOf(event: QueueEvent): JobPayload {
  const { headers, clientAddress, url, username, root } = event.input.request;
  return {
    eventId: event.id,
    sessionHash: event.sessionHash,
    endpointId: event.endpoint.id,
    data: event.input.data,
    simpleFormat: event.input.simpleFormat,
    request: { headers: { ...headers }, clientAddress, url, username, root },
  };
}

/**
 * The request of an event that joined on another process. Guards ran there, before it joined; interceptors here
 * see a stand-in for the HTTP request with its headers, URL, address and user (the live request is elsewhere).
 */
export function requestOf(payload: JobPayload): GradioRequest {
  const request = payload.request;
  const native = {
    headers: request.headers,
    url: request.url,
    originalUrl: request.url,
    ip: request.clientAddress,
    user: request.username === null ? undefined : { username: request.username },
  };
  return attachNativeRequest({ ...request }, native);
}
