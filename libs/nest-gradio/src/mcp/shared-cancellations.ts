import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { QueueService } from '../queue/queue.service.js';
import { StatelessCancellations } from './stateless-cancellations.js';

type RequestId = string | number;

/** The topic on which stateless cancels travel between the processes of a deployment. */
const CANCEL_TOPIC = 'mcp-cancel';

/**
 * Stateless `notifications/cancelled` over a deployment (docs/mcp.md#cancellation): a balancer without sticky
 * sessions may send the cancel to another process than the POST it cancels. A cancel that finds nothing here goes
 * to every process through the queue's broadcast, and each looks for the request among its own (in memory, the one
 * process looks again and finds nothing more).
 */
@Injectable()
export class SharedCancellations implements OnModuleInit, OnModuleDestroy {
  private unlisten?: () => void;

  constructor(
    private readonly here: StatelessCancellations,
    private readonly queue: QueueService,
  ) {}

  onModuleInit(): void {
    this.unlisten = this.queue.listen(CANCEL_TOPIC, (message) => {
      const [client, id] = JSON.parse(message) as [string, RequestId];
      this.here.cancel(client, id);
    });
  }

  onModuleDestroy(): void {
    this.unlisten?.();
  }

  cancel(client: string, id: RequestId): void {
    if (this.here.cancel(client, id)) return;
    this.queue.broadcast(CANCEL_TOPIC, JSON.stringify([client, id])).catch(() => undefined);
  }
}
