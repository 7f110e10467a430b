import type { LoggingLevel } from '@modelcontextprotocol/sdk/types.js';

/** MCP's log levels (syslog's), least severe first. */
export const LOGGING_LEVELS: readonly LoggingLevel[] = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
];

/**
 * The `logging/setLevel` of one MCP connection (docs/mcp.md#logging): a stateless HTTP POST, or a legacy SSE
 * session. Until a client sets a level, every message is sent, as the SDK's own servers do: a stateless client
 * could never set one that lasts beyond its POST.
 */
export class McpLogLevel {
  private minimum: number | undefined;

  /** Sets the level; answers the problem instead when `level` is not one of MCP's. */
  set(level: unknown): string | undefined {
    const index = LOGGING_LEVELS.indexOf(level as LoggingLevel);
    if (index < 0) {
      return `Unknown logging level ${JSON.stringify(level)}; the levels are ${LOGGING_LEVELS.join(', ')}.`;
    }
    this.minimum = index;
    return undefined;
  }

  /** No message passes: a 2026-07-28 request without a log level in its `_meta` asked for none. */
  mute(): void {
    this.minimum = LOGGING_LEVELS.length;
  }

  /** Whether a message of `level` passes the level the client set. */
  allows(level: LoggingLevel): boolean {
    return this.minimum === undefined || LOGGING_LEVELS.indexOf(level) >= this.minimum;
  }
}
