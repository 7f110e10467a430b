// The 'nest-gradio/testing' entry point: what tests (ours and an application's) need to observe and drive the
// library without importing its sources by path. Not covered by the stability promise of 'nest-gradio' itself.
export { QueueService } from '../queue/queue.service.js';
export type { QueueLifecycleEvent, QueueOutcome, QueueSnapshot } from '../queue/queue-lifecycle.js';
export { createHttpApp, listenForClients, useJsonBodyLimit } from '../launch.js';
export { endpointNamed, registryOf } from './endpoint-fixtures.js';
