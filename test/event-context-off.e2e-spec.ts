import { Injectable } from '@nestjs/common';
import { Client } from '@gradio/client';
import { Ctx, currentEvent, GradioApi, type EventContext } from 'nest-gradio';
import { startGradioApp, type RunningApp } from './support/start-app.js';

@Injectable()
class Handlers {
  @GradioApi({ returns: String })
  lookup(): string {
    return currentEvent()?.eventId ?? 'none';
  }

  @GradioApi({ returns: String })
  injected(@Ctx() ctx: EventContext): string {
    return ctx.apiName;
  }
}

// Its own file: the option turns the async context on for the whole process (here, this file's module registry).
describe('without asyncEventContext', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startGradioApp({ showError: true }, [Handlers]);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('currentEvent() fails the call with a message naming the option, and @Ctx() still works', async () => {
    const client = await Client.connect(app.url);
    await expect(client.predict('/lookup', {})).rejects.toMatchObject({
      message: expect.stringContaining('asyncEventContext: true'),
    });
    expect((await client.predict('/injected', {})).data).toEqual(['injected']);
  });
});
