import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { GradioModule, isMcpListing } from 'nest-gradio';
import { AccountService } from './account.service.js';
import { AgentQuotaService } from './agent-quota.service.js';
import type { AccountUser } from './jwt.strategy.js';
import { JwtStrategy } from './jwt.strategy.js';

/**
 * An app whose endpoints are guarded by passport-jwt and rate-limited by @nestjs/throttler. MCP_SESSIONS=stateful
 * serves MCP with sessions.
 */
@Module({
  imports: [
    GradioModule.forRoot({
      title: 'Secured',
      mcpServer: true,
      mcp: { sessions: process.env.MCP_SESSIONS === 'stateful' ? 'stateful' : 'stateless' },
    }),
    PassportModule,
    ThrottlerModule.forRoot({
      throttlers: [{ ttl: 60_000, limit: Number(process.env.THROTTLE_LIMIT ?? 10) }],
      // tools/list runs each tool's guards only to decide whether to show it: that is not a call.
      skipIf: isMcpListing,
      // The signed-in user when passport's guard ran first (per agent), else the client's address.
      getTracker: (request: { user?: AccountUser; ip?: string }) =>
        request.user ? `user:${request.user.name}` : `ip:${request.ip}`,
    }),
  ],
  providers: [AccountService, AgentQuotaService, JwtStrategy],
})
export class AppModule {}
