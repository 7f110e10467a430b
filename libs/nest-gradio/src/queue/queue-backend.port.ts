import type { EndpointRegistry } from '../discovery/endpoint.registry.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import type { EventFiles } from './event-files.port.js';
import type { QueueService } from './queue.service.js';
import type { SessionStore } from './session.store.js';

/** DI token of the {@link QueueBackend}: absent or null, the queue is the in-memory {@link QueueService}. */
export const QUEUE_BACKEND = Symbol('QUEUE_BACKEND');

/** Makes the queue when it lives elsewhere than in this process's memory (distributed mode, in Redis). */
export interface QueueBackend {
  createQueue(
    registry: EndpointRegistry,
    options: ResolvedGradioOptions,
    store: SessionStore,
    files: EventFiles | undefined,
  ): QueueService;
}
