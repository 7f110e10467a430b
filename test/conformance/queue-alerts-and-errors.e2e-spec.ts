// log and progress messages, and failed events on `queue/data`
// (docs/protocol.md#queue-messages, docs/protocol.md#errors).
import { Injectable } from '@nestjs/common';
import { Ctx, GradioApi, GradioError, Int, type EventContext } from 'nest-gradio';
import { Gate } from '../support/gate.js';
import {
  fnIndexes,
  join,
  messagesOf,
  newSessionHash,
  readSession,
  StreamRecorder,
  type QueueMessage,
} from '../support/protocol.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

const gate = new Gate();
const PROGRESS_STEPS = 200;

@Injectable()
class AlertProbe {
  @GradioApi({ name: 'alerts', returns: String })
  async alerts(letter: string, @Ctx() ctx: EventContext): Promise<string> {
    ctx.info(`Letter ${letter}`);
    ctx.warning('Careful');
    ctx.success('Done', { title: 'Yay', duration: null });
    ctx.info('Quiet', { visible: false, duration: 3 });
    return letter;
  }

  @GradioApi({ name: 'isolated', returns: String, concurrencyLimit: null })
  async isolated(tag: string, @Ctx() ctx: EventContext): Promise<string> {
    ctx.info(`first from ${tag}`);
    await gate.pass(tag, ctx.signal);
    ctx.warning(`second from ${tag}`);
    return tag;
  }

  @GradioApi({ name: 'progressing', returns: String })
  async progressing(key: string, @Ctx() ctx: EventContext): Promise<string> {
    for (let step = 1; step <= PROGRESS_STEPS; step++)
      ctx.progress(step, PROGRESS_STEPS, { unit: 'files', desc: 'Copying' });
    await gate.pass(`${key}-steps`, ctx.signal);
    ctx.progress(0.5, { desc: 'Half' });
    await gate.pass(`${key}-fraction`, ctx.signal);
    return key;
  }

  @GradioApi({ name: 'broken' })
  broken(): string {
    throw new Error('not for the client');
  }

  @GradioApi({ name: 'refuse' })
  refuse(message: string): string {
    throw new GradioError(message, { printException: false });
  }

  @GradioApi({ name: 'refuse_custom' })
  refuseCustom(): string {
    throw new GradioError('Custom', { title: 'Oops', duration: null, visible: false, printException: false });
  }

  @GradioApi({ name: 'yield_then_throw', returns: String })
  async *yieldThenThrow(): AsyncGenerator<string> {
    yield 'H';
    throw new Error('hidden after a yield');
  }

  @GradioApi({ name: 'yield_then_refuse', returns: String })
  async *yieldThenRefuse(): AsyncGenerator<string> {
    yield 'H';
    throw new GradioError('boom', { printException: false });
  }

  @GradioApi({ name: 'add' })
  add(a: Int, b: Int): Int {
    return a + b;
  }

  @GradioApi({ name: 'too_slow', returns: String, timeLimit: 0.2 })
  async tooSlow(@Ctx() ctx: EventContext): Promise<string> {
    await gate.pass('never-released', ctx.signal);
    return 'late';
  }
}

const ERROR_KEYS = ['error', 'duration', 'visible', 'title'];

describe('conformance: alerts, progress and errors on queue/data', () => {
  let app: RunningApp;
  let fn: Record<string, number>;

  async function run(api: string, data: unknown[]): Promise<{ body: string; messages: QueueMessage[]; id: string }> {
    const session = newSessionHash();
    const id = await join(app.url, fn[api] as number, data, session);
    return { id, ...(await readSession(app.url, session)) };
  }

  const completionOf = (messages: QueueMessage[]): QueueMessage =>
    messages.find((message) => message.msg === 'process_completed') as QueueMessage;

  beforeAll(async () => {
    app = await startGradioApp({}, [AlertProbe]);
    fn = await fnIndexes(app.url);
  });

  afterAll(async () => {
    gate.releaseAll();
    await app?.close();
  });

  it('info/warning/success emit log messages (log, level, duration, visible, title) in order', async () => {
    const { body, id, messages } = await run('alerts', ['J']);
    const logs = messages.filter((message) => message.msg === 'log');
    expect(logs).toEqual([
      { msg: 'log', event_id: id, log: 'Letter J', level: 'info', duration: 10, visible: true, title: 'Info' },
      { msg: 'log', event_id: id, log: 'Careful', level: 'warning', duration: 10, visible: true, title: 'Warning' },
      { msg: 'log', event_id: id, log: 'Done', level: 'success', duration: null, visible: true, title: 'Yay' },
      { msg: 'log', event_id: id, log: 'Quiet', level: 'info', duration: 3, visible: false, title: 'Info' },
    ]);
    // docs/protocol.md#queue-messages, byte for byte.
    expect(body).toContain(
      `data: {"msg":"log","event_id":"${id}","log":"Letter J","level":"info","duration":10,"visible":true,"title":"Info"}\n\n`,
    );
    const kinds = messages.map((message) => message.msg);
    expect(kinds.indexOf('process_starts')).toBeLessThan(kinds.indexOf('log'));
    expect(kinds.lastIndexOf('log')).toBeLessThan(kinds.indexOf('process_completed'));
  });

  it('log messages of concurrent calls reach only their own session', async () => {
    const sessions = [newSessionHash(), newSessionHash()];
    const ids = [
      await join(app.url, fn['isolated'] as number, ['alpha'], sessions[0] as string),
      await join(app.url, fn['isolated'] as number, ['beta'], sessions[1] as string),
    ];
    const streams = sessions.map((session) => StreamRecorder.forSession(app.url, session));
    try {
      await Promise.all([gate.arrived('alpha'), gate.arrived('beta')]);
      gate.release('alpha', 'beta');
      await Promise.all(streams.map((stream) => stream.done));
    } finally {
      await Promise.all(streams.map((stream) => stream.abort()));
    }
    const [alpha, beta] = streams.map((stream) => stream.messages) as [QueueMessage[], QueueMessage[]];
    expect(
      alpha.filter((message) => message.msg === 'log').map((message) => [message.event_id, message['log']]),
    ).toEqual([
      [ids[0], 'first from alpha'],
      [ids[0], 'second from alpha'],
    ]);
    expect(
      beta.filter((message) => message.msg === 'log').map((message) => [message.event_id, message['log']]),
    ).toEqual([
      [ids[1], 'first from beta'],
      [ids[1], 'second from beta'],
    ]);
    expect(alpha.every((message) => message.event_id === null || message.event_id === ids[0])).toBe(true);
    expect(beta.every((message) => message.event_id === null || message.event_id === ids[1])).toBe(true);
  });

  it('progress emits progress messages with [{index, length, unit, progress, desc}], latest state only', async () => {
    const session = newSessionHash();
    const id = await join(app.url, fn['progressing'] as number, ['p34'], session);
    const stream = StreamRecorder.forSession(app.url, session);
    try {
      await stream.until(
        (message) =>
          message.msg === 'progress' && (message['progress_data'] as { index: number }[])[0]?.index === PROGRESS_STEPS,
        'the last step',
      );
      gate.release('p34-steps');
      await stream.until(
        (message) =>
          message.msg === 'progress' && (message['progress_data'] as { progress: number }[])[0]?.progress === 0.5,
        'the fraction',
      );
      gate.release('p34-fraction');
      await stream.done;
    } finally {
      await stream.abort();
    }
    const progress = messagesOf(stream.messages, id).filter((message) => message.msg === 'progress');
    for (const message of progress) {
      expect(Object.keys(message)).toEqual(['msg', 'event_id', 'progress_data']);
      const units = message['progress_data'] as Record<string, unknown>[];
      expect(units).toHaveLength(1);
      expect(Object.keys(units[0] as object)).toEqual(['index', 'length', 'unit', 'progress', 'desc']);
    }
    const unitOf = (message: QueueMessage): Record<string, unknown> =>
      (message['progress_data'] as Record<string, unknown>[])[0] as Record<string, unknown>;
    const steps = progress.slice(0, -1).map(unitOf);
    // 200 reports made in one synchronous burst: only the latest state is sent, not every report.
    expect(steps.length).toBeLessThan(PROGRESS_STEPS);
    expect(steps.at(-1)).toEqual({
      index: PROGRESS_STEPS,
      length: PROGRESS_STEPS,
      unit: 'files',
      progress: null,
      desc: 'Copying',
    });
    const indexes = steps.map((unit) => unit['index'] as number);
    expect([...indexes].sort((a, b) => a - b)).toEqual(indexes);
    const fraction = unitOf(progress.at(-1) as QueueMessage);
    expect(fraction).toMatchObject({ index: null, length: null, progress: 0.5, desc: 'Half' });
    expect(fraction['unit'] === null || typeof fraction['unit'] === 'string').toBe(true);
  });

  it('a plain exception (show_error off) → success false, output {"error":null}, title "Error"', async () => {
    const { body, id, messages } = await run('broken', []);
    expect(messages.map((message) => message.msg)).toEqual([
      'estimation',
      'process_starts',
      'process_completed',
      'close_stream',
    ]);
    expect(body).toContain(
      `data: {"msg":"process_completed","event_id":"${id}","output":{"error":null},"success":false,"title":"Error",` +
        '"used_cache":null,"cache_duration":null,"avg_time":null}\n\n',
    );
  });

  it('a user-facing error → output {"error":<msg>,"duration":10,"visible":true,"title":"Error"}', async () => {
    const plain = completionOf((await run('refuse', ['Custom user-facing error message'])).messages);
    expect(plain).toEqual({
      msg: 'process_completed',
      event_id: plain.event_id,
      output: { error: 'Custom user-facing error message', duration: 10, visible: true, title: 'Error' },
      success: false,
      title: 'Error',
      used_cache: null,
      cache_duration: null,
      avg_time: null,
    });
    expect(Object.keys(plain['output'] as object)).toEqual(ERROR_KEYS);
    const custom = completionOf((await run('refuse_custom', [])).messages);
    expect(custom).toMatchObject({
      success: false,
      title: 'Oops',
      output: { error: 'Custom', duration: null, visible: false, title: 'Oops' },
    });
  });

  // Gradio: after a yield Gradio sends the top-level title null; "Error" is accepted too.
  it('a user-facing error after a yield: process_generating ["H"], then the error payload', async () => {
    const { messages } = await run('yield_then_refuse', []);
    expect(messages.map((message) => message.msg)).toEqual([
      'estimation',
      'process_starts',
      'process_generating',
      'process_completed',
      'close_stream',
    ]);
    expect((messages[2]?.['output'] as { data: unknown }).data).toEqual(['H']);
    const completed = messages[3] as QueueMessage;
    expect(completed).toMatchObject({
      success: false,
      output: { error: 'boom', duration: 10, visible: true, title: 'Error' },
    });
    expect(Object.keys(completed['output'] as object)).toEqual(ERROR_KEYS);
    expect(['Error', null]).toContain(completed['title']);
  });

  it('error payloads contain no keys other than error, duration, visible, title', async () => {
    const failures: [string, unknown[]][] = [
      ['broken', []],
      ['refuse', ['x']],
      ['refuse_custom', []],
      ['yield_then_throw', []],
      ['yield_then_refuse', []],
      ['add', ['three', 5]],
      ['add', [3]],
      ['too_slow', []],
    ];
    for (const [api, data] of failures) {
      const completed = completionOf((await run(api, data)).messages);
      expect([api, completed['success']]).toEqual([api, false]);
      const output = completed['output'] as Record<string, unknown>;
      expect(Object.keys(output)).toContain('error');
      expect({ api, extraKeys: Object.keys(output).filter((key) => !ERROR_KEYS.includes(key)) }).toEqual({
        api,
        extraKeys: [],
      });
      expect(output['error'] === null || typeof output['error'] === 'string').toBe(true);
    }
    const hidden = completionOf((await run('yield_then_throw', [])).messages);
    expect(hidden['output']).toEqual({ error: null });
  });

  it('with showError on, a plain exception gives exactly {"error": <text>, "visible": true}', async () => {
    const verbose = await startGradioApp({ showError: true }, [AlertProbe]);
    try {
      const session = newSessionHash();
      await join(verbose.url, (await fnIndexes(verbose.url))['broken'] as number, [], session);
      const completed = completionOf((await readSession(verbose.url, session)).messages);
      expect(completed).toMatchObject({ success: false, title: 'Error' });
      expect(completed['output']).toEqual({ error: 'not for the client', visible: true });
      expect(Object.keys(completed['output'] as object)).toEqual(['error', 'visible']);
    } finally {
      await verbose.close();
    }
  });
});
