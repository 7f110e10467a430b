// Distributed mode through Redis Sentinel (docs/distributed.md#high-availability): the app connects with ioredis'
// sentinel options, and when the master dies the sentinel promotes its replica and the app goes on with it.
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { GradioApi } from 'nest-gradio';
import { fnIndexes, join, newSessionHash, readSession, type QueueMessage } from '../support/protocol.js';
import { startRedisSentinelSet, type RedisSentinelSet } from '../support/redis.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

@Injectable()
class Echo {
  @GradioApi({ name: 'echo', returns: String })
  echo(text: string): string {
    return text;
  }
}

describe('distributed mode through Redis Sentinel', () => {
  let set: RedisSentinelSet;
  let apps: RunningApp[] = [];

  beforeAll(async () => {
    set = await startRedisSentinelSet();
    const options = {
      redis: { sentinels: set.sentinels, name: set.name },
      distributed: { prefix: `sentinel-${randomBytes(4).toString('hex')}` },
    };
    apps = [await startGradioApp(options, [Echo]), await startGradioApp(options, [Echo])];
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await set?.stop();
  });

  /** One call joined on the first process and read on the second; its completion, or none. */
  async function call(text: string): Promise<QueueMessage | undefined> {
    const [first, second] = apps as [RunningApp, RunningApp];
    const fn = await fnIndexes(first.url);
    const session = newSessionHash();
    const eventId = await join(first.url, fn['echo'] as number, [text], session);
    const { messages } = await readSession(second.url, session);
    return messages.find((message) => message.msg === 'process_completed' && message.event_id === eventId);
  }

  it('serves calls across processes through the master the sentinel names', async () => {
    expect(await set.currentMaster()).toBe(`127.0.0.1:${set.masterPort}`);
    expect(await call('through the sentinel')).toMatchObject({
      success: true,
      output: { data: ['through the sentinel'] },
    });
  });

  it('goes on with the promoted replica once the master died', async () => {
    await set.killMaster();
    // The sentinel notices after 1 s and promotes the replica; the clients ask it for the new master.
    let result: QueueMessage | undefined;
    for (let attempt = 0; attempt < 60 && !result?.['success']; attempt++) {
      result = await call(`after failover ${attempt}`).catch(() => undefined);
      if (!result?.['success']) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(result).toMatchObject({ success: true, output: { data: [expect.stringMatching(/^after failover/)] } });
    expect(await set.currentMaster()).toBe(`127.0.0.1:${set.replicaPort}`);
  }, 60_000);
});
