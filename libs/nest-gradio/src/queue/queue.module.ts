import { Module } from '@nestjs/common';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { MemorySessionStore } from './memory-session.store.js';
import { QUEUE_MONITOR } from './queue-lifecycle.js';
import { QueueService } from './queue.service.js';
import { SESSION_STORE } from './session.store.js';

/** The queue: scheduling, execution and the per-session message streams. */
@Module({
  providers: [
    {
      provide: SESSION_STORE,
      useFactory: (options: ResolvedGradioOptions) => new MemorySessionStore(options.maxSessions),
      inject: [GRADIO_MODULE_OPTIONS],
    },
    QueueService,
    // The port metrics, traces and health checks read; another queue backend provides it the same way.
    { provide: QUEUE_MONITOR, useExisting: QueueService },
  ],
  exports: [QueueService, SESSION_STORE, QUEUE_MONITOR],
})
export class QueueModule {}
