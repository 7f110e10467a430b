import type { INestApplication } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { QueueService, type QueueLifecycleEvent } from 'nest-gradio/testing';

/** What the queue did, as seen through `QueueService.lifecycle$`: which events started, completed, were dropped. */
export class LifecycleLog {
  readonly entries: { type: QueueLifecycleEvent['type']; eventId: string; apiName: string; success?: boolean }[] = [];
  private readonly subscription: Subscription;

  constructor(app: INestApplication) {
    this.subscription = app.get(QueueService).lifecycle$.subscribe((entry) => {
      this.entries.push({
        type: entry.type,
        eventId: entry.eventId,
        apiName: entry.endpoint.apiName,
        success: entry.success,
      });
    });
  }

  /** Event ids with an entry of this type, in order. */
  ids(type: QueueLifecycleEvent['type'], apiName?: string): string[] {
    return this.entries
      .filter((entry) => entry.type === type && (apiName === undefined || entry.apiName === apiName))
      .map((entry) => entry.eventId);
  }

  has(type: QueueLifecycleEvent['type'], eventId: string): boolean {
    return this.entries.some((entry) => entry.type === type && entry.eventId === eventId);
  }

  /** Events that started and have not ended (completed, cancelled or dropped), over every process. */
  running(): number {
    const ended = new Set(this.entries.filter((entry) => ENDS.has(entry.type)).map((entry) => entry.eventId));
    return new Set(this.ids('started').filter((id) => !ended.has(id))).size;
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}

const ENDS = new Set<QueueLifecycleEvent['type']>(['completed', 'cancelled', 'dropped']);

export function queueOf(app: INestApplication): QueueService {
  return app.get(QueueService);
}
