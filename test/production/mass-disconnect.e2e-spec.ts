// 10 000 clients leave at once: raw sockets that joined a call and hold its stream open (queue/join + queue/data, and
// call/ + its GET) on slow endpoints — streams that run and calls that wait — are all destroyed in one loop. Every
// event then ends exactly once, the queue holds nothing, the server's heap (after a full GC) and its open file
// descriptors return near where they were, and a normal call works.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Injectable } from '@nestjs/common';
import { Ctx, type EventContext, GradioApi } from 'nest-gradio';
import { LifecycleLog, queueOf } from '../support/lifecycle.js';
import { call, fnIndexes, waitFor } from '../support/protocol.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

const STREAMING_JOINS = 4_000;
const STREAMING_CALLS = 4_000;
const WAITING_JOINS = 2_000;
const CLIENTS = STREAMING_JOINS + STREAMING_CALLS + WAITING_JOINS;
/** The warm-up round's share of each group. */
const WARMUP_SCALE = 0.01;

/** How many `tick` generators are suspended right now: each must end when its client leaves. */
let liveTicks = 0;

@Injectable()
class SlowService {
  /** A stream with no end: a step now, then one every 5 s. */
  @GradioApi({ name: 'tick', concurrencyLimit: null })
  async *tick(label: string, @Ctx() ctx: EventContext): AsyncGenerator<string> {
    liveTicks++;
    try {
      for (let step = 1; ; step++) {
        yield `${label} ${step}`;
        await sleep(5_000, undefined, { signal: ctx.signal });
      }
    } finally {
      liveTicks--;
    }
  }

  /** One at a time, each until its client leaves: the others wait in the queue. */
  @GradioApi({ name: 'held', concurrencyLimit: 1 })
  async held(label: string, @Ctx() ctx: EventContext): Promise<string> {
    await sleep(3_600_000, undefined, { signal: ctx.signal });
    return label;
  }
}

/** A full GC of this process (the server runs here), through V8's `gc` made reachable at run time. */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

async function heapAfterGcMb(): Promise<number> {
  for (let round = 0; round < 3; round++) {
    collectGarbage();
    await sleep(50);
  }
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const openFds = (): number => readdirSync('/proc/self/fd').length;

/** The clients' process; resolves its `ready`/`destroyed` lines as they come. */
function startClients(config: unknown): { child: ChildProcess; line: (prefix: string) => Promise<string> } {
  const child = spawn(process.execPath, ['test/support/mass-clients.mjs', JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const line = (prefix: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const look = (): void => {
        const found = stdout.split('\n').find((candidate) => candidate.startsWith(prefix));
        if (found) {
          cleanup();
          resolve(found);
        }
      };
      const exited = (code: number | null): void => {
        look();
        cleanup();
        reject(new Error(`the clients exited (${code}) before "${prefix}": ${stderr}`));
      };
      const cleanup = (): void => {
        child.stdout?.off('data', look);
        child.off('exit', exited);
      };
      child.stdout?.on('data', look);
      child.once('exit', exited);
      look();
    });
  return { child, line };
}

let app: RunningApp;
let log: LifecycleLog;

beforeAll(async () => {
  // The server's process holds a descriptor per client: say so plainly where the limit is too low for that.
  const limit = Number(spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim());
  if (limit < CLIENTS + 1_000)
    throw new Error(`This test needs \`ulimit -n\` of ${CLIENTS + 1_000} or more (it is ${limit}).`);
  // Every stream runs at once (Gradio's default of 40 jobs at a time would keep most of them waiting).
  app = await startGradioApp({ maxThreads: 2 * CLIENTS }, [SlowService]);
  log = new LifecycleLog(app.app);
});

afterAll(async () => {
  log?.stop();
  await app?.close();
});

it(`${CLIENTS} clients destroyed at once: every event ends once, memory and descriptors return`, async () => {
  const port = Number(new URL(app.url).port);
  const fn = await fnIndexes(app.url);
  const config = (scale: number) => ({
    port,
    batch: 250,
    groups: [
      { kind: 'join', count: STREAMING_JOINS * scale, fnIndex: fn['tick'], data: ['j'], until: 'process_generating' },
      { kind: 'call', count: STREAMING_CALLS * scale, apiName: 'tick', data: ['c'], until: 'event: generating' },
      { kind: 'join', count: WAITING_JOINS * scale, fnIndex: fn['held'], data: ['w'], until: '"msg":"' },
    ],
  });

  // A small round first, so that the baseline holds what any first use allocates once (compiled code, caches).
  const warmup = startClients(config(WARMUP_SCALE));
  await warmup.line('ready');
  warmup.child.stdin?.write('destroy\n');
  await warmup.line('destroyed');
  await waitFor(() => queueOf(app.app).snapshot().liveEvents === 0, 'the warm-up events to end', 30_000);
  const baseline = { heapMb: await heapAfterGcMb(), fds: openFds() };

  const clients = startClients(config(1));
  expect(await clients.line('ready')).toBe(`ready ${CLIENTS}`);
  const peak = { heapMb: await heapAfterGcMb(), fds: openFds(), snapshot: queueOf(app.app).snapshot() };
  expect(peak.snapshot).toMatchObject({ liveEvents: CLIENTS, openStreams: CLIENTS });

  clients.child.stdin?.write('destroy\n');
  expect(await clients.line('destroyed')).toBe(`destroyed ${CLIENTS}`);
  await waitFor(() => queueOf(app.app).snapshot().liveEvents === 0, 'every event to end', 30_000);
  await waitFor(() => liveTicks === 0, 'every generator to end', 30_000);
  const after = { heapMb: await heapAfterGcMb(), fds: openFds() };
  console.log(
    `${CLIENTS} clients: heap ${baseline.heapMb.toFixed(1)} → ${peak.heapMb.toFixed(1)} → ${after.heapMb.toFixed(1)} MB, ` +
      `fds ${baseline.fds} → ${peak.fds} → ${after.fds}`,
  );

  // Every event that joined ended exactly once.
  const joined = log.ids('joined');
  expect(joined).toHaveLength(CLIENTS * (1 + WARMUP_SCALE));
  const endings = log.entries.filter((entry) => ['completed', 'cancelled', 'dropped'].includes(entry.type));
  expect(endings.map((entry) => entry.eventId).sort()).toEqual([...joined].sort());
  expect(queueOf(app.app).snapshot()).toEqual({ waiting: 0, running: 0, liveEvents: 0, sessions: 0, openStreams: 0 });

  // Near the baseline: the log above holds some 60 000 entries of its own; the peak held 10 000 connections.
  expect(peak.fds - baseline.fds).toBeGreaterThanOrEqual(CLIENTS);
  expect(after.fds - baseline.fds).toBeLessThan(50);
  expect(after.heapMb - baseline.heapMb).toBeLessThan(20);

  const eventId = await call(app.url, 'tick', { data: ['after'] });
  const stream = await fetch(`${app.url}/gradio_api/call/tick/${eventId}`);
  const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
  const { value } = await reader.read();
  expect(new TextDecoder().decode(value)).toContain('after 1');
  await reader.cancel();
}, 120_000);
