import { Injectable, UseGuards, UseInterceptors } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ThrottlerGuard } from '@nestjs/throttler';
import { GradioApi, McpTool } from 'nest-gradio';
import { SignedByUserInterceptor } from './signed-by-user.interceptor.js';

/** Endpoints guarded the way any Nest route is: the same guards hold on queue/join, call/, run/ and MCP. */
@Injectable()
export class AccountService {
  /** The balance of the signed-in user. */
  @UseGuards(AuthGuard('jwt'))
  @UseInterceptors(SignedByUserInterceptor)
  @GradioApi({ name: 'balance' })
  balance(): string {
    return '42 coins';
  }

  /** The balance of a signed-in agent. */
  @UseGuards(AuthGuard('jwt'))
  @McpTool({ description: 'Tells the balance of a signed-in agent.' })
  agentBalance(): string {
    return '7 coins';
  }

  /** Echoes the text, at most THROTTLE_LIMIT times a minute per client. */
  @UseGuards(ThrottlerGuard)
  @GradioApi({ name: 'limited' })
  limited(text: string): string {
    return text;
  }
}
