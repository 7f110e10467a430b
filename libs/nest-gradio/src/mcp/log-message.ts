import type { LoggingLevel, LoggingMessageNotification } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_ALERT_TITLES } from '../queue/event-context.js';
import type { LogLevel, QueueMessage } from '../wire/queue-message.interface.js';

/**
 * The MCP level of each alert: a success is `notice` (syslog's "normal but significant"), so that a client can keep
 * successes and drop plain info.
 */
const MCP_LEVELS: Record<LogLevel, LoggingLevel> = {
  info: 'info',
  warning: 'warning',
  success: 'notice',
  error: 'error',
};

/**
 * The `notifications/message` parameters of an alert (`ctx.info`, `ctx.warning`, `ctx.success`), from the `logger`
 * named; null for any other queue message (docs/mcp.md#logging). The data is the alert's text, after its title when
 * the author gave one.
 */
export function logMessageOf(message: QueueMessage, logger: string): LoggingMessageNotification['params'] | null {
  if (message.msg !== 'log') return null;
  const titled = message.title !== DEFAULT_ALERT_TITLES[message.level];
  return { level: MCP_LEVELS[message.level], logger, data: titled ? `${message.title}: ${message.log}` : message.log };
}
