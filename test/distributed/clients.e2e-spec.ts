// The real npm `@gradio/client` against two processes of the showcase on one Redis, behind a plain round-robin
// proxy (scripts/round-robin-proxy.mjs): every request of a call — config, join, data stream, upload, cancel — goes
// to the next process in turn, with no sticky sessions.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, handle_file } from '@gradio/client';
import { startRoundRobinProxy } from '../../scripts/round-robin-proxy.mjs';
import { connectSse, connectStreamableHttp, texts } from '../mcp/mcp-clients.js';
import { waitFor } from '../support/protocol.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { startShowcase, type RunningApp } from '../support/start-app.js';

type GradioEvent = Record<string, unknown> & { type: string };

/** Reads a submission's events in the background. */
class Collected {
  readonly events: GradioEvent[] = [];
  readonly done: Promise<void>;

  constructor(readonly job: ReturnType<Client['submit']>) {
    this.done = (async () => {
      for await (const event of job) this.events.push(event as unknown as GradioEvent);
    })();
  }

  get data(): unknown[][] {
    return this.events.filter((event) => event.type === 'data').map((event) => event['data'] as unknown[]);
  }

  statuses(): GradioEvent[] {
    return this.events.filter((event) => event.type === 'status');
  }

  async until(predicate: (event: GradioEvent) => boolean, what: string): Promise<void> {
    await waitFor(() => this.events.some(predicate), what, 20_000);
  }
}

describe('@gradio/client against two distributed processes behind a round-robin proxy', () => {
  let redis: RedisServer;
  let uploadDir: string;
  const apps: RunningApp[] = [];
  let proxy: { url: string; close(): Promise<void> };
  const clients: Client[] = [];

  async function connect(): Promise<Client> {
    const client = await Client.connect(proxy.url, { events: ['data', 'status', 'log'] });
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    redis = await startRedis();
    uploadDir = await mkdtemp(join(tmpdir(), 'nest-gradio-shared-uploads-'));
    // What every process of one deployment shares: Redis and its prefix, the app id, the upload folder.
    const options = {
      redis: redis.url,
      distributed: { prefix: `clients-${randomBytes(4).toString('hex')}` },
      appId: 4242,
      uploadDir,
      mcpServer: true,
    };
    apps.push(await startShowcase(options), await startShowcase(options));
    proxy = await startRoundRobinProxy(apps.map((app) => app.url));
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await proxy?.close();
    for (const app of apps) await app.close();
    await redis?.stop();
    await rm(uploadDir, { recursive: true, force: true });
  });

  it('predict works for every kind of endpoint, each call spread over both processes', async () => {
    const client = await connect();
    const cases: [string, Record<string, unknown>, unknown[]][] = [
      ['/add', { a: 3, b: 5 }, [8]],
      ['/hello', { name: 'World' }, ['Hello, World!']],
      ['/add_and_slice', { a: 1, b: 3, c: ['a', 'b', 'c', 'd'] }, [4, ['b', 'c']]],
      ['/count', { n: 3 }, [3]],
      ['/spell', { text: 'abc' }, ['abc']],
      ['/slow_echo', { text: 'quick', seconds: 0.05 }, ['quick']],
    ];
    for (const [endpoint, args, expected] of cases) {
      const result = await client.predict(endpoint, args);
      expect([endpoint, result.data]).toEqual([endpoint, expected]);
    }
  }, 30_000);

  it('submit streams every prefix of spell in order (diffs applied by the client)', async () => {
    const client = await connect();
    const collected = new Collected(client.submit('/spell', { text: 'hello' }));
    await collected.done;
    expect(collected.data).toEqual([['h'], ['he'], ['hel'], ['hell'], ['hello'], ['hello']]);
    expect(collected.statuses().at(-1)).toMatchObject({ stage: 'complete', endpoint: '/spell' });
  });

  it('a user-facing error reaches the client with its message', async () => {
    const client = await connect();
    await expect(client.predict('/fail', { message: 'Broken on some process' })).rejects.toMatchObject({
      message: 'Broken on some process',
      stage: 'error',
    });
  });

  it('cancels a waiting call through whichever process the cancel reaches; the others run', async () => {
    const client = await connect();
    const first = new Collected(client.submit('/slow_echo', { text: 'first', seconds: 3 }));
    await first.until((event) => event['original_msg'] === 'process_starts', 'the first call to start');
    const second = new Collected(client.submit('/slow_echo', { text: 'second', seconds: 0.2 }));
    // The client reports "pending" itself before its join is answered; a rank comes from the queue, so the call is
    // known and waiting (a cancel sent before the join's answer carries no event id and cancels nothing).
    await second.until(
      (event) => event.type === 'status' && typeof event['position'] === 'number',
      'the second call to be ranked',
    );
    await second.job.cancel();
    await Promise.all([first.done, second.done]);
    expect(first.data).toEqual([['first']]);
    expect(second.data).toEqual([]);
    expect(second.statuses().at(-1)).toMatchObject({ stage: 'error', message: 'Cancelled.' });
  }, 30_000);

  it('a file uploaded through one process is read by the process that runs the call (shared upload folder)', async () => {
    const client = await connect();
    const bytes = randomBytes(20_000);
    const result = await client.predict('/reverse_file', { file: handle_file(bytes) });
    const [output] = result.data as [{ url: string }];
    expect(output.url.startsWith(`${proxy.url}/gradio_api/file=`)).toBe(true);
    const downloaded = Buffer.from(await (await fetch(output.url)).arrayBuffer());
    expect(downloaded.equals(Buffer.from(bytes).reverse())).toBe(true);
  });

  it('MCP tools/call over streamable HTTP (stateless) runs through the shared queue', async () => {
    const client = await connectStreamableHttp(proxy.url);
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((tool) => tool.name)).toContain('slow_echo');
      const results = await Promise.all(
        ['one', 'two', 'three'].map((text) =>
          client.callTool({ name: 'slow_echo', arguments: { text, seconds: 0.05 } }),
        ),
      );
      expect(results.map((result) => texts(result))).toEqual([['one'], ['two'], ['three']]);
    } finally {
      await client.close();
    }
  });

  it('MCP: a stateless cancel reaches the call on whichever process holds it, freeing its slot', async () => {
    const client = await connectStreamableHttp(proxy.url);
    try {
      // slow_echo runs one call at a time over both processes: the next call runs only if this one is stopped.
      const abort = new AbortController();
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const long = client
        .callTool({ name: 'slow_echo', arguments: { text: 'long', seconds: 60 } }, undefined, {
          signal: abort.signal,
          onprogress: (update) => {
            if (update.message?.includes('Echoing')) started();
          },
        })
        .catch((error: unknown) => error);
      await running;
      // The SDK sends notifications/cancelled on a POST of its own: the proxy gives it to the other process.
      abort.abort();
      expect(await long).toBeInstanceOf(Error);
      const next = await client.callTool({ name: 'slow_echo', arguments: { text: 'next', seconds: 0.05 } });
      expect(texts(next)).toEqual(['next']);
    } finally {
      await client.close();
    }
  }, 20_000);

  it('MCP over the legacy SSE transport: messages POSTed to the process without the stream reach the one with it', async () => {
    // The stream stays on one process; the proxy sends each POST to the next one, so half land elsewhere.
    const client = await connectSse(proxy.url);
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('slow_echo');
      const results = await Promise.all(
        ['one', 'two', 'three', 'four'].map((text) =>
          client.callTool({ name: 'slow_echo', arguments: { text, seconds: 0.05 } }),
        ),
      );
      expect(results.map((result) => texts(result))).toEqual([['one'], ['two'], ['three'], ['four']]);
    } finally {
      await client.close();
    }
    // A session nobody holds is still unknown, wherever the POST lands.
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await fetch(`${proxy.url}/gradio_api/mcp/messages/?sessionId=nobody`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(response.status).toBe(404);
    }
  });
});
