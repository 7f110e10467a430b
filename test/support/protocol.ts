import { randomBytes } from 'node:crypto';
import { openStream, parseQueueData, postJson } from './sse.js';
import { testCluster } from './start-app.js';

/** One `queue/data` message. */
export type QueueMessage = Record<string, unknown> & { msg: string; event_id: string | null };

/** A session hash as the JS client makes them (any string works). */
export function newSessionHash(): string {
  return randomBytes(6).toString('hex');
}

/** `fn_index` of every API name, read from `/config` as the clients do. */
export async function fnIndexes(url: string): Promise<Record<string, number>> {
  const config = (await (await fetch(`${url}/config`)).json()) as { dependencies: { id: number; api_name: string }[] };
  return Object.fromEntries(config.dependencies.map((dependency) => [dependency.api_name, dependency.id]));
}

export async function getJson(url: string): Promise<{ status: number; json: unknown; contentType: string | null }> {
  const response = await fetch(url);
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, json, contentType: response.headers.get('content-type') };
}

/** `POST /gradio_api/queue/join` with the body a client sends; fails the test unless the join is accepted. */
export async function join(
  url: string,
  fnIndex: number,
  data: unknown[],
  sessionHash: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const body = { data, fn_index: fnIndex, session_hash: sessionHash, ...extra };
  const { status, json } = await postJson(`${url}/gradio_api/queue/join`, body);
  if (status !== 200) throw new Error(`queue/join answered ${status}: ${JSON.stringify(json)}`);
  return (json as { event_id: string }).event_id;
}

/** `POST /gradio_api/call/{name}` (or `call/v2/{name}` with `named`); returns the event id. */
export async function call(
  url: string,
  apiName: string,
  body: Record<string, unknown>,
  named = false,
): Promise<string> {
  const route = named ? `call/v2/${apiName}` : `call/${apiName}`;
  const { status, json } = await postJson(`${url}/gradio_api/${route}`, body);
  if (status !== 200) throw new Error(`${route} answered ${status}: ${JSON.stringify(json)}`);
  return (json as { event_id: string }).event_id;
}

/** Reads a session's whole `queue/data` stream (until the server ends it) and checks its framing. */
export async function readSession(
  url: string,
  sessionHash: string,
  timeoutMs = 30_000,
): Promise<{ body: string; messages: QueueMessage[] }> {
  const response = await fetch(`${url}/gradio_api/queue/data?session_hash=${encodeURIComponent(sessionHash)}`, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await response.text();
  return { body, messages: parseQueueData(body) as QueueMessage[] };
}

/** Reads a whole `GET /gradio_api/call/{name}/{event_id}` stream as text. */
export async function readCallStream(
  url: string,
  apiName: string,
  eventId: string,
  timeoutMs = 30_000,
): Promise<string> {
  const response = await fetch(`${url}/gradio_api/call/${apiName}/${eventId}`, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  return response.text();
}

export function messagesOf(messages: QueueMessage[], eventId: string): QueueMessage[] {
  return messages.filter((message) => message.event_id === eventId);
}

/**
 * Runs `assertion` now: the in-memory queue decides synchronously, so what it asserts holds once the requests before
 * it were answered. In a cluster run (`GRADIO_TEST_CLUSTER`) the processes hear of each other's moves through
 * Redis: then until it passes (or fails after `timeoutMs`).
 */
export async function eventually(assertion: () => void | Promise<void>, timeoutMs = 10_000): Promise<void> {
  if (testCluster() === 1) return assertion();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/**
 * Checks the places (`[rank, queue_size]` of its first estimation) that events joined one after another were told:
 * `expected` exactly on one process, where the queue decides synchronously. In a cluster run a join is answered
 * before its job is in Redis and a job starts when a process's worker takes it, so the next join may still count
 * the events before it as waiting: a place is then at most the number of events that joined before it, and nothing
 * is behind it yet.
 */
export function expectPlacesOnJoin(messages: QueueMessage[], eventIds: string[], expected: number[][]): void {
  const places = eventIds.map((id) => {
    const first = messagesOf(messages, id)[0];
    return [first?.['rank'], first?.['queue_size']];
  });
  if (testCluster() === 1) {
    expect(places).toEqual(expected);
    return;
  }
  for (const [index, [rank, size]] of places.entries()) {
    expect(rank).toBeLessThanOrEqual(index);
    expect(size).toBe((rank as number) + 1);
  }
}

/** `GET queue/status`'s count of waiting events: the deployment's, whichever process answers. */
export async function waitingCount(url: string): Promise<number> {
  const response = await fetch(`${url}/gradio_api/queue/status`);
  return ((await response.json()) as { queue_size: number }).queue_size;
}

/** Polls `condition` until it holds; only a guard against hangs, never a timing assertion. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * An open `queue/data` (or other SSE) stream whose blocks are recorded as they arrive, for tests that act while
 * the stream is open. `until()` waits for a block or message; `done` settles when the server ends the response.
 */
export class StreamRecorder {
  readonly blocks: string[] = [];
  readonly done: Promise<void>;
  private readonly stream: { done: Promise<void>; abort(): void };
  private readonly listeners = new Set<() => void>();
  private ended = false;
  /** Why the stream failed, if it did not end normally or by `abort()`. */
  error: unknown;

  constructor(streamUrl: string) {
    this.stream = openStream(streamUrl, (block) => {
      this.blocks.push(block);
      this.notify();
    });
    this.done = this.stream.done
      .catch((error: unknown) => {
        this.error = error;
      })
      .finally(() => {
        this.ended = true;
        this.notify();
      });
  }

  static forSession(url: string, sessionHash: string): StreamRecorder {
    return new StreamRecorder(`${url}/gradio_api/queue/data?session_hash=${encodeURIComponent(sessionHash)}`);
  }

  /** The `data:` JSON of every block so far (for `queue/data` streams). */
  get messages(): QueueMessage[] {
    return this.blocks.map((block) => {
      if (!block.startsWith('data: ') || block.includes('\n'))
        throw new Error(`Bad SSE block: ${JSON.stringify(block)}`);
      return JSON.parse(block.slice('data: '.length)) as QueueMessage;
    });
  }

  /** Resolves with the first message matching `predicate` (already received or still to come). */
  async until(predicate: (message: QueueMessage) => boolean, what: string, timeoutMs = 15_000): Promise<QueueMessage> {
    let found: QueueMessage | undefined;
    await this.untilBlocks(() => (found = this.messages.find(predicate)) !== undefined, what, timeoutMs);
    return found as QueueMessage;
  }

  /** Waits until `condition` holds over the blocks received so far. */
  untilBlocks(condition: (blocks: string[]) => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        let holds: boolean;
        try {
          holds = condition(this.blocks);
        } catch (error) {
          finish();
          reject(error as Error);
          return;
        }
        if (holds) {
          finish();
          resolve();
        } else if (this.ended) {
          finish();
          reject(new Error(`Stream ended before ${what}; got ${JSON.stringify(this.blocks)}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`Timed out waiting for ${what}; got ${JSON.stringify(this.blocks)}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Closes the connection from the client side (as a client that goes away). */
  async abort(): Promise<void> {
    this.stream.abort();
    await this.done.catch(() => undefined);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
