import { Controller, Get, Injectable, UseGuards } from '@nestjs/common';
import { Ctx, GradioApi, GradioAuthGuard, type EventContext } from 'nest-gradio';

/** Tells who called, as the handler sees it. */
@Injectable()
export class WhoAmI {
  @GradioApi({ name: 'whoami', returns: String })
  whoami(@Ctx() ctx: EventContext): string | null {
    return ctx.request.username;
  }
}

/** An application route protected by Gradio's login, as an app would do it. */
@Controller('private')
@UseGuards(GradioAuthGuard)
export class PrivateController {
  @Get()
  secret(): { secret: string } {
    return { secret: 'only for logged-in users' };
  }
}
