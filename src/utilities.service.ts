import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { Ctx, GradioApi, GradioError, McpTool, type EventContext } from 'nest-gradio';

const STEPS = 10;

@Injectable()
export class UtilitiesService {
  /** Echoes after a pause, reporting progress; one call at a time (the default limit), so others queue. */
  @McpTool({ name: 'slow_echo' })
  @GradioApi({ name: 'slow_echo', description: 'Echo the text after a pause, reporting progress.' })
  async slowEcho(text: string, seconds: number = 1, @Ctx() ctx?: EventContext): Promise<string> {
    ctx?.info(`Echoing "${text}" in ${seconds} s`);
    for (let step = 1; step <= STEPS; step++) {
      await sleep((seconds * 1000) / STEPS, undefined, { signal: ctx?.signal });
      ctx?.progress(step, STEPS, { unit: 'steps', desc: 'Echoing' });
    }
    return text;
  }

  @McpTool()
  @GradioApi({ name: 'fail', description: 'Always fail with the given message.' })
  fail(message: string): string {
    throw new GradioError(message);
  }
}
