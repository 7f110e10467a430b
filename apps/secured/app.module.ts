import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { GradioModule } from 'nest-gradio';
import { AccountService } from './account.service.js';
import { JwtStrategy } from './jwt.strategy.js';

/** An app whose endpoints are guarded by passport-jwt and rate-limited by @nestjs/throttler. */
@Module({
  imports: [
    GradioModule.forRoot({ title: 'Secured', mcpServer: true }),
    PassportModule,
    ThrottlerModule.forRoot([{ ttl: 60_000, limit: Number(process.env.THROTTLE_LIMIT ?? 10) }]),
  ],
  providers: [AccountService, JwtStrategy],
})
export class AppModule {}
