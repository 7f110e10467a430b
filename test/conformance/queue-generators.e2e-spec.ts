// generator streaming on `queue/data` — full values first, then edit lists
// (docs/protocol.md#queue-messages, docs/protocol.md#generator-diffs).
import { Injectable } from '@nestjs/common';
import fc from 'fast-check';
import { Any, GradioApi, Int } from 'nest-gradio';
import { applyDiff, type Edit } from '../support/apply-diff.js';
import {
  fnIndexes,
  join,
  newSessionHash,
  readSession,
  StreamRecorder,
  type QueueMessage,
} from '../support/protocol.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

@Injectable()
class GeneratorProbe {
  @GradioApi({ name: 'spell', returns: String, concurrencyLimit: null })
  async *spell(text: string): AsyncGenerator<string> {
    for (let i = 1; i <= text.length; i++) yield text.slice(0, i);
  }

  @GradioApi({ name: 'count', returns: Int, concurrencyLimit: null })
  *count(n: Int): Generator<number> {
    for (let i = 1; i <= n; i++) yield i;
  }

  @GradioApi({ name: 'pairs', outputs: [String, Int], concurrencyLimit: null })
  async *pairs(): AsyncGenerator<[string, number]> {
    yield ['a', 1];
    yield ['ab', 1];
    yield ['ab', 2];
  }

  /** Yields each step as the outputs of one message: what the property test streams. */
  @GradioApi({ name: 'replay', outputs: [Any, Any], concurrencyLimit: null })
  async *replay(steps: Any): AsyncGenerator<unknown[]> {
    for (const step of steps as unknown[][]) yield step;
  }
}

const OUTPUT_KEYS = [
  'data',
  'is_generating',
  'duration',
  'average_duration',
  'render_config',
  'changed_state_ids',
  'used_cache',
];

/** The `output.data` of every process_generating message, then of the process_completed. */
function streamed(messages: QueueMessage[]): { generating: unknown[][]; completed: unknown[] } {
  const generating = messages
    .filter((message) => message.msg === 'process_generating')
    .map((message) => (message['output'] as { data: unknown[] }).data);
  const completed = messages.find((message) => message.msg === 'process_completed') as QueueMessage;
  expect(completed).toMatchObject({ success: true });
  return { generating, completed: (completed['output'] as { data: unknown[] }).data };
}

/** What a client reconstructs: the first message's values, then each later message's edit lists applied per output. */
function reconstruct(generating: unknown[][]): unknown[][] {
  const values: unknown[][] = [];
  for (const data of generating) {
    const previous = values.at(-1);
    values.push(
      previous === undefined ? data : data.map((edits, output) => applyDiff(previous[output], edits as Edit[])),
    );
  }
  return values;
}

describe('conformance: generators on queue/data', () => {
  let app: RunningApp;
  let fn: Record<string, number>;

  async function run(api: string, data: unknown[], extra: Record<string, unknown> = {}): Promise<QueueMessage[]> {
    const session = newSessionHash();
    await join(app.url, fn[api] as number, data, session, extra);
    return (await readSession(app.url, session)).messages;
  }

  /**
   * Like `run`, but reads only until the event's completion: the stream itself lingers a moment for further joins
   * before it closes, which the property test's 150 runs need not wait for.
   */
  async function runToCompletion(api: string, data: unknown[]): Promise<QueueMessage[]> {
    const session = newSessionHash();
    await join(app.url, fn[api] as number, data, session);
    const stream = StreamRecorder.forSession(app.url, session);
    try {
      await stream.until((message) => message.msg === 'process_completed', 'the completion');
      return stream.messages;
    } finally {
      await stream.abort();
    }
  }

  beforeAll(async () => {
    app = await startGradioApp({}, [GeneratorProbe]);
    fn = await fnIndexes(app.url);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('one process_generating per yield (full values, then edit lists), then the last value completed', async () => {
    const messages = await run('spell', ['Hel']);
    expect(messages.map((message) => message.msg)).toEqual([
      'estimation',
      'process_starts',
      'process_generating',
      'process_generating',
      'process_generating',
      'process_completed',
      'close_stream',
    ]);
    // docs/protocol.md#queue-messages, the "H", "He", "Hel" timeline.
    expect(streamed(messages)).toEqual({
      generating: [['H'], [[['append', [], 'e']]], [[['append', [], 'l']]]],
      completed: ['Hel'],
    });
    for (const message of messages.filter((candidate) => candidate.msg === 'process_generating')) {
      expect(Object.keys(message)).toEqual(['msg', 'event_id', 'output', 'success', 'time_limit']);
      expect(Object.keys(message['output'] as object)).toEqual(OUTPUT_KEYS);
      expect(message).toMatchObject({
        success: true,
        time_limit: null,
        output: { is_generating: true, render_config: null },
      });
    }
    expect(messages.find((message) => message.msg === 'process_completed')).toMatchObject({
      output: { is_generating: false },
    });
  });

  it('numbers are replaced; each output of a multi-output generator has its own edit list ([] if unchanged)', async () => {
    expect(streamed(await run('count', [3]))).toEqual({
      generating: [[1], [[['replace', [], 2]]], [[['replace', [], 3]]]],
      completed: [3],
    });
    expect(streamed(await run('pairs', []))).toEqual({
      generating: [
        ['a', 1],
        [[['append', [], 'b']], []],
        [[], [['replace', [], 2]]],
      ],
      completed: ['ab', 2],
    });
  });

  it('with simple_format (what /call sets) every process_generating carries full values', async () => {
    expect(streamed(await run('spell', ['Hel'], { simple_format: true }))).toEqual({
      generating: [['H'], ['He'], ['Hel']],
      completed: ['Hel'],
    });
  });

  it('applying the edit lists as the clients do reproduces every yielded value exactly (property test)', async () => {
    const key = fc.constantFrom('a', 'b', 'c', 'ab', 'constructor', 'toString');
    const leaf = fc.oneof(
      fc.constantFrom(null, true, false, 0, 1, -3, 2.5),
      fc.string({ unit: fc.constantFrom('x', 'y', 'é'), maxLength: 4 }),
    );
    const { value } = fc.letrec<{ value: unknown; list: unknown[]; dict: Record<string, unknown> }>((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, leaf, tie('list'), tie('dict')),
      list: fc.array(tie('value'), { maxLength: 4 }),
      dict: fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true }),
    }));
    const steps = fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(steps, async (yielded) => {
        const expected = JSON.parse(JSON.stringify(yielded)) as unknown[][];
        const { generating, completed } = streamed(await runToCompletion('replay', [expected]));
        expect(generating).toHaveLength(expected.length);
        expect(reconstruct(generating)).toEqual(expected);
        expect(completed).toEqual(expected.at(-1));
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it("nested list deletions reconstruct exactly (nest-gradio fixes Gradio's double-shift bug; a deliberate difference, see the README)", async () => {
    const yielded: unknown[][] = [
      [[[1, 2, 3], [4]], { list: [[1, 2, 3, 4, 5]], keep: 'x' }],
      [[[1], [4]], { list: [[1, 2]], keep: 'xy' }],
      [[[], []], { list: [], keep: 'xy' }],
    ];
    const { generating } = streamed(await run('replay', [yielded]));
    expect(reconstruct(generating)).toEqual(yielded);
  });

  it('object keys that are also Object.prototype names are diffed like any other key', async () => {
    const yielded: Record<string, unknown>[][] = [
      [{ constructor: 1, toString: 'a' }, {}],
      [{ constructor: 2 }, { toString: 'b', hasOwnProperty: [1] }],
      [{}, { toString: 'bc' }],
    ];
    const { generating } = streamed(await run('replay', [yielded]));
    expect(reconstruct(generating)).toEqual(yielded);
  });
});
