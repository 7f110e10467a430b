import type { ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import type { QueueMessage } from '../wire/queue-message.interface.js';
import { progressMessageOf } from './progress-message.js';

/** What the bridge needs of the SDK's request context. */
export interface NotificationSender {
  sendNotification(notification: ServerNotification): Promise<void>;
}

/**
 * Turns the queue messages of one call into `notifications/progress` for the client's progress token (docs/mcp.md#progress): `progress` counts 0, 1, 2… (it must grow, and the queue cannot know a total), `message` says what happened.
 * Notifications are sent in order, on the request's own stream; `flushed()` resolves once all are written, so that
 * they reach the client before the result.
 */
export class ProgressBridge {
  private step = 0;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly sender: NotificationSender,
    private readonly progressToken: string | number,
  ) {}

  readonly forward = (message: QueueMessage): void => {
    const text = progressMessageOf(message);
    if (text === null) return;
    const notification: ServerNotification = {
      method: 'notifications/progress',
      params: {
        progressToken: this.progressToken,
        progress: this.step++,
        ...(text !== undefined ? { message: text } : {}),
      },
    };
    // A client that went away cannot be told; the call itself notices through its signal.
    this.sending = this.sending.then(() => this.sender.sendNotification(notification)).catch(() => undefined);
  };

  flushed(): Promise<void> {
    return this.sending;
  }
}
