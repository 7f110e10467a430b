import { Module } from '@nestjs/common';
import { EndpointRegistry } from '../discovery/endpoint.registry.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { EVENT_FILES, type EventFiles } from './event-files.port.js';
import { MemorySessionStore } from './memory-session.store.js';
import { QUEUE_MONITOR } from './queue-lifecycle.js';
import { QUEUE_BACKEND, type QueueBackend } from './queue-backend.port.js';
import { QueueService } from './queue.service.js';
import { SESSION_STORE, type SessionStore } from './session.store.js';

/** The queue: scheduling, execution and the per-session message streams. */
@Module({
  providers: [
    {
      provide: SESSION_STORE,
      useFactory: (options: ResolvedGradioOptions) => new MemorySessionStore(options.maxSessions),
      inject: [GRADIO_MODULE_OPTIONS],
    },
    {
      // In memory unless a backend (distributed mode) makes it.
      provide: QueueService,
      useFactory: (
        registry: EndpointRegistry,
        options: ResolvedGradioOptions,
        store: SessionStore,
        files: EventFiles | undefined,
        backend: QueueBackend | null | undefined,
      ) =>
        backend
          ? backend.createQueue(registry, options, store, files ?? undefined)
          : new QueueService(registry, options, store, files ?? undefined),
      inject: [
        EndpointRegistry,
        GRADIO_MODULE_OPTIONS,
        SESSION_STORE,
        { token: EVENT_FILES, optional: true },
        { token: QUEUE_BACKEND, optional: true },
      ],
    },
    // The port metrics, traces and health checks read, whichever queue serves.
    { provide: QUEUE_MONITOR, useExisting: QueueService },
  ],
  exports: [QueueService, SESSION_STORE, QUEUE_MONITOR],
})
export class QueueModule {}
