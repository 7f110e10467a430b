// The real npm `@gradio/client` (2.7.0) against the showcase (the README's showcase table): predict, submit streaming, errors,
// queue status, cancel and view_api (docs/protocol.md#clients; docs/protocol.md#cancellation).
import { Client } from '@gradio/client';
import { LifecycleLog } from './support/lifecycle.js';
import { waitFor } from './support/protocol.js';
import { startShowcase, testCluster, type RunningApp } from './support/start-app.js';

type Submission = ReturnType<Client['submit']>;
type GradioEvent = Record<string, unknown> & { type: string };

/** Reads a submission's events in the background, so that the test can act while it runs. */
class Collected {
  readonly events: GradioEvent[] = [];
  readonly done: Promise<void>;

  constructor(readonly job: Submission) {
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

  async until(predicate: (event: GradioEvent) => boolean, what: string): Promise<GradioEvent> {
    let found: GradioEvent | undefined;
    await waitFor(() => (found = this.events.find(predicate)) !== undefined, what, 20_000);
    return found as GradioEvent;
  }
}

/** Runs `action` and returns the error it throws (failing if it does not). */
async function rejection(action: () => Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await action();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('Expected a rejection');
}

describe('@gradio/client against the showcase', () => {
  let app: RunningApp;
  let client: Client;
  const clients: Client[] = [];

  async function connect(): Promise<Client> {
    // Status and log events reach submit()'s iterator only when asked for (client.ts: `options.events`, default ["data"]).
    const connected = await Client.connect(app.url, { events: ['data', 'status', 'log'] });
    clients.push(connected);
    return connected;
  }

  beforeAll(async () => {
    app = await startShowcase();
    client = await connect();
  });

  afterAll(async () => {
    for (const connected of clients) connected.close();
    await app?.close();
  });

  it('predict with named arguments works for every endpoint (add {a:3, b:5} → data [8])', async () => {
    const json = { a: [1, { b: null }], s: 'é ✓', n: -2.5, t: true };
    const add = await client.predict('/add', { a: 3, b: 5 });
    expect(add).toMatchObject({ type: 'data', data: [8], endpoint: '/add' });
    const cases: [string, Record<string, unknown>, unknown[]][] = [
      ['/hello', { name: 'World' }, ['Hello, World!']],
      ['/multiply', { a: 6, b: 7 }, [42]],
      ['/add_and_slice', { a: 1, b: 3, c: ['a', 'b', 'c', 'd'] }, [4, ['b', 'c']]],
      ['/count', { n: 3 }, [3]],
      ['/spell', { text: 'abc' }, ['abc']],
      ['/slow_echo', { text: 'quick', seconds: 0.05 }, ['quick']],
      ['/slow_echo', { text: 'default pause' }, ['default pause']],
      ['/echo_json', { value: json }, [json]],
    ];
    for (const [endpoint, args, expected] of cases) {
      const result = await client.predict(endpoint, args);
      expect([endpoint, result.data]).toEqual([endpoint, expected]);
    }
  }, 30_000);

  it('predict with positional arguments works too', async () => {
    expect((await client.predict('/add', [3, 5])).data).toEqual([8]);
    expect((await client.predict('/hello', ['positional'])).data).toEqual(['Hello, positional!']);
    expect((await client.predict('/add_and_slice', [0, 2, ['x', 'y', 'z']])).data).toEqual([2, ['x', 'y']]);
    expect((await client.predict('/slow_echo', ['fast', 0.01])).data).toEqual(['fast']);
    expect((await client.predict('/echo_json', [[1, 'two', null]])).data).toEqual([[1, 'two', null]]);
  });

  it('submit streams every value of count, then completes', async () => {
    const collected = new Collected(client.submit('/count', { n: 5 }));
    await collected.done;
    expect(collected.data).toEqual([[1], [2], [3], [4], [5], [5]]);
    const stages = collected.statuses().map((status) => status['stage']);
    expect(stages).toContain('pending');
    expect(stages.filter((stage) => stage === 'generating')).toHaveLength(5);
    expect(stages.at(-1)).toBe('complete');
  });

  it('submit streams every prefix of spell (diffs applied by the client)', async () => {
    const collected = new Collected(client.submit('/spell', { text: 'hello' }));
    await collected.done;
    expect(collected.data).toEqual([['h'], ['he'], ['hel'], ['hell'], ['hello'], ['hello']]);
    expect(collected.statuses().at(-1)).toMatchObject({ stage: 'complete', endpoint: '/spell' });
  });

  it('a user-facing error rejects predict with its message and title', async () => {
    const error = await rejection(() => client.predict('/fail', { message: 'Something broke' }));
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('Something broke');
    expect(error).toMatchObject({ stage: 'error', title: 'Error', visible: true, duration: 10 });
    const collected = new Collected(client.submit('/fail', { message: 'Again' }));
    await collected.done;
    expect(collected.statuses().at(-1)).toMatchObject({ stage: 'error', message: 'Again', title: 'Error' });
    expect(collected.data).toEqual([]);
  });

  it('three slow_echo calls at once (limit 1): one runs, two wait at positions 0 and 1; a cancelled one never runs', async () => {
    const lifecycle = new LifecycleLog(app.app);
    try {
      // Three users (each client has its own session and stream) submit at the same moment.
      const users = [await connect(), await connect(), await connect()];
      const jobs = users.map(
        (user, index) => new Collected(user.submit('/slow_echo', { text: `echo ${index}`, seconds: 2 })),
      );
      const started = (job: Collected): boolean =>
        job.events.some((event) => event['original_msg'] === 'process_starts');
      const positionOf = (job: Collected): GradioEvent | undefined =>
        job
          .statuses()
          .findLast((status) => typeof status['position'] === 'number' && status['original_msg'] === undefined);
      const queued = (): Collected[] => jobs.filter((job) => !started(job));
      await waitFor(
        () => jobs.filter(started).length === 1 && queued().every((job) => positionOf(job) !== undefined),
        'one call running and two waiting',
        20_000,
      );
      const [running] = jobs.filter(started) as [Collected];
      const waiting = queued().find((job) => positionOf(job)?.['position'] === 0) as Collected;
      const cancelled = queued().find((job) => positionOf(job)?.['position'] === 1) as Collected;
      expect(positionOf(waiting)).toMatchObject({
        type: 'status',
        stage: 'pending',
        queue: true,
        position: 0,
        // Its place when it joined; in a cluster the first call may start after the others joined, and a rank
        // update then counts both waiting.
        size: testCluster() === 1 ? 1 : expect.any(Number),
      });
      expect(positionOf(cancelled)).toMatchObject({
        type: 'status',
        stage: 'pending',
        queue: true,
        position: 1,
        size: 2,
      });

      const cancelledId = cancelled.job.event_id();
      expect(cancelledId).toMatch(/^[0-9a-f]{32}$/);
      await cancelled.job.cancel();
      await Promise.all(jobs.map((job) => job.done));

      const textOf = (job: Collected): string => `echo ${jobs.indexOf(job)}`;
      expect(running.data).toEqual([[textOf(running)]]);
      expect(running.statuses().at(-1)).toMatchObject({ stage: 'complete' });
      expect(running.events.find((event) => event.type === 'log')).toMatchObject({
        log: `Echoing "${textOf(running)}" in 2 s`,
        level: 'info',
      });
      expect(running.statuses().some((status) => Array.isArray(status['progress_data']))).toBe(true);
      expect(waiting.data).toEqual([[textOf(waiting)]]);
      expect(waiting.statuses().at(-1)).toMatchObject({ stage: 'complete' });
      // The cancelled call ends with an error status the client reads cleanly (Gradio's `{}` ack would make it
      // report "An Unexpected Error Occurred!").
      expect(cancelled.data).toEqual([]);
      expect(cancelled.statuses().at(-1)).toMatchObject({ stage: 'error', message: 'Cancelled.', title: 'Cancelled' });
      expect(lifecycle.has('cancelled', cancelledId)).toBe(true);
      expect(lifecycle.has('started', cancelledId)).toBe(false);
      expect(lifecycle.ids('completed', 'slow_echo')).toEqual([running.job.event_id(), waiting.job.event_id()]);
    } finally {
      lifecycle.stop();
    }
  }, 30_000);

  it('cancelling one call of a client leaves its other calls on the same stream running', async () => {
    // One client, one session, one shared data stream. With Gradio's `{}` acknowledgement the client throws while
    // reading it and closes the shared stream, so every other call in flight would never finish.
    const shared = await connect();
    // The third call must join while the first still runs: in a cluster (Redis, a proxy) give that more time.
    const firstSeconds = testCluster() === 1 ? 1 : 4;
    const first = new Collected(shared.submit('/slow_echo', { text: 'first', seconds: firstSeconds }));
    // The second joins once the first runs: two joins at once may start in either order in a cluster, and the
    // second would then be done before the third joins behind it.
    await first.until((event) => event['original_msg'] === 'process_starts', 'the first call to start');
    const second = new Collected(shared.submit('/slow_echo', { text: 'second', seconds: 0.5 }));
    await second.until((event) => event.type === 'status' && event['position'] === 0, 'the second call to wait');
    const third = new Collected(shared.submit('/slow_echo', { text: 'third', seconds: 0.5 }));
    await third.until((event) => event.type === 'status' && event['position'] === 1, 'the third call to wait');
    await second.job.cancel();
    await Promise.all([first.done, second.done, third.done]);
    expect(first.data).toEqual([['first']]);
    expect(second.statuses().at(-1)).toMatchObject({ stage: 'error', message: 'Cancelled.' });
    expect(third.data).toEqual([['third']]);
  }, 30_000);

  it('view_api() describes every endpoint with its parameters, returns and generator flag', async () => {
    type Described = { parameters: Record<string, unknown>[]; returns: Record<string, unknown>[]; type: unknown };
    const api = (await client.view_api()) as { named_endpoints: Record<string, Described>; unnamed_endpoints: object };
    const names = [
      '/hello',
      '/add',
      '/multiply',
      '/add_and_slice',
      '/count',
      '/spell',
      '/slow_echo',
      '/fail',
      '/echo_json',
    ];
    expect(Object.keys(api.named_endpoints)).toEqual(expect.arrayContaining(names));
    expect(api.unnamed_endpoints).toEqual({});
    const add = api.named_endpoints['/add'];
    expect(
      add?.parameters.map((parameter) => [parameter['parameter_name'], parameter['label'], parameter['type']]),
    ).toEqual([
      ['a', '1st', 'integer'],
      ['b', '2nd', 'integer'],
    ]);
    expect(add?.returns.map((output) => output['type'])).toEqual(['integer']);
    expect(add?.type).toEqual({ generator: false, cancel: false });
    expect(api.named_endpoints['/count']?.type).toEqual({ generator: true, cancel: false });
    expect(api.named_endpoints['/add_and_slice']?.returns.map((output) => output['type'])).toEqual([
      'integer',
      'array',
    ]);
    const seconds = api.named_endpoints['/slow_echo']?.parameters[1];
    expect(seconds).toMatchObject({
      parameter_name: 'seconds',
      parameter_has_default: true,
      parameter_default: 1,
      type: 'number',
    });
  });

  it('a value of the wrong type fails the call with an error that names the parameter', async () => {
    const wrongType = await rejection(() => client.predict('/add', { a: 'three', b: 5 }));
    expect(wrongType.message).toMatch(/\ba\b/);
    expect(wrongType.message).not.toMatch(/\bb\b/);
    const notAList = await rejection(() => client.predict('/add_and_slice', { a: 0, b: 1, c: 'abc' }));
    expect(notAList.message).toMatch(/\bc\b/);
    const tooFew = await rejection(() => client.predict('/add', [3]));
    expect(tooFew.message).toMatch(/\bb\b/);
    // Missing named arguments are caught by the client itself, from /gradio_api/info.
    const missing = await rejection(() => client.predict('/add', { a: 1 }));
    expect(missing.message).toBe('No value provided for required parameter: b');
    const unknown = await rejection(async () => client.predict('/nope', {}));
    expect(unknown.message).toContain('No endpoint matching "/nope"');
  });
});
