import type { RequestMeta, ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import type { CancelSignal } from './call-cancellation.js';
import type { QueueMessage } from '../wire/queue-message.interface.js';
import type { McpClientRequests } from '../options/event-context.interface.js';
import { logMessageOf } from './log-message.js';
import type { McpLogLevel } from './mcp-logging.js';
import { progressMessageOf } from './progress-message.js';

/** What the bridge needs of the SDK's request context. */
export interface NotificationSender {
  sendNotification(notification: ServerNotification): Promise<void>;
}

/** What the request handlers need of the SDK's request context. */
export interface McpRequestContext extends NotificationSender {
  /** The request's JSON-RPC id. */
  requestId?: string | number;
  signal: CancelSignal;
  /** The request's `_meta` (its progress token). */
  _meta?: RequestMeta;
  /** The client that sent the request, for the handler to ask (sampling, elicitation); 2025 revisions only. */
  client?: McpClientRequests;
}

/** What one call tells its client while it runs. */
export interface CallNotifications {
  /** The request's progress token: queue states, progress and alerts become `notifications/progress`. */
  progressToken: string | number | undefined;
  /** The tool, resource or prompt name that alerts are logged under (`notifications/message`). */
  logger: string;
  /** The connection's level: alerts below it are not sent. */
  logLevel: McpLogLevel;
}

/**
 * Turns the queue messages of one call into notifications for its client: `notifications/progress` for the client's
 * progress token (docs/mcp.md#progress: `progress` counts 0, 1, 2…, as it must grow and the queue cannot know a
 * total; `message` says what happened), and `notifications/message` for alerts (docs/mcp.md#logging), which a
 * client that does not follow progress still sees.
 * Notifications are sent in order, on the request's own stream; `flushed()` resolves once all are written, so that
 * they reach the client before the result.
 */
export class CallNotificationBridge {
  private step = 0;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly sender: NotificationSender,
    private readonly notifications: CallNotifications,
  ) {}

  readonly forward = (message: QueueMessage): void => {
    const { progressToken, logger, logLevel } = this.notifications;
    if (progressToken !== undefined) {
      const text = progressMessageOf(message);
      if (text !== null) {
        this.send({
          method: 'notifications/progress',
          params: { progressToken, progress: this.step++, ...(text !== undefined ? { message: text } : {}) },
        });
      }
    }
    const log = logMessageOf(message, logger);
    if (log && logLevel.allows(log.level)) this.send({ method: 'notifications/message', params: log });
  };

  flushed(): Promise<void> {
    return this.sending;
  }

  private send(notification: ServerNotification): void {
    // A client that went away cannot be told; the call itself notices through its signal.
    this.sending = this.sending.then(() => this.sender.sendNotification(notification)).catch(() => undefined);
  }
}
