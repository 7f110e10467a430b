import { Injectable, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { SkipThrottle, Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { McpTool } from 'nest-gradio';

/**
 * Tools for signed-in agents, each limited per agent: passport's guard runs first and names the user, whom the
 * throttler then tracks (app.module.ts). Past a limit, the MCP POST of the call is answered 429 with Retry-After.
 */
@Injectable()
@UseGuards(AuthGuard('jwt'), ThrottlerGuard)
export class AgentQuotaService {
  /** Echoes the text, at most THROTTLE_LIMIT times a minute per agent. */
  @McpTool()
  echo(text: string): string {
    return text;
  }

  /** The first three words of the text, then an ellipsis: once a minute per agent. */
  @Throttle({ default: { limit: 1, ttl: 60_000 } })
  @McpTool()
  summary(text: string): string {
    return `${text.split(/\s+/).slice(0, 3).join(' ')}…`;
  }

  /** The server's clock, as an ISO 8601 string: free to call as often as an agent likes. */
  @SkipThrottle()
  @McpTool()
  serverTime(): string {
    return new Date().toISOString();
  }
}
