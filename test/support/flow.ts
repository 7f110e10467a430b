import { connect, type Socket } from 'node:net';
import { Injectable } from '@nestjs/common';
import { GradioApi, type Int } from 'nest-gradio';
import { waitFor } from './protocol.js';

/** How far each `flood` generator got, by tag: tests read it to see whether a generator waits. */
export const produced = new Map<string, number>();

/** The gates of `gated_flood`, by tag. */
const gates = new Map<string, { opened: Promise<void>; open: () => void }>();

function gateOf(tag: string): { opened: Promise<void>; open: () => void } {
  let gate = gates.get(tag);
  if (!gate) {
    let open = (): void => undefined;
    const opened = new Promise<void>((resolve) => (open = resolve));
    gate = { opened, open };
    gates.set(tag, gate);
  }
  return gate;
}

/** Lets the `gated_flood` of `tag` start. */
export function openGate(tag: string): void {
  gateOf(tag).open();
}

/** `flood(tag, steps)`: a generator that never awaits — without flow control it fills memory as fast as it can. */
@Injectable()
export class FloodService {
  @GradioApi({ name: 'flood', concurrencyLimit: null })
  *flood(tag: string, steps: Int): Generator<string> {
    const padding = 'x'.repeat(200);
    for (let step = 1; step <= steps; step++) {
      produced.set(tag, step);
      yield `${tag}:${step}:${padding}`;
    }
  }

  /**
   * The same generator, started once its gate opens ({@link openGate}): a test opens it when its reader's stream is
   * open. Started at once, a flood can produce the 10 000 results nobody read, after which the queue stops it, before a
   * loaded server has handled the reader's request.
   */
  @GradioApi({ name: 'gated_flood', concurrencyLimit: null, stream: true })
  async gatedFlood(tag: string, steps: Int): Promise<Generator<string>> {
    await gateOf(tag).opened;
    return this.flood(tag, steps);
  }
}

/**
 * Opens `GET path` on a raw socket to the app at `url` that reads nothing more, once the response's head came, until
 * `socket.resume()`. `ended()` says whether the chunked body's last chunk came; it looks at the last bytes only,
 * since flattening a stream of many megabytes on every poll would cost more than the stream itself.
 */
export async function stalledReader(
  url: string,
  path: string,
): Promise<{ socket: Socket; text: () => string; ended: () => boolean }> {
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  const chunks: string[] = [];
  let tail = '';
  const headCame = new Promise<void>((resolve, reject) => {
    socket.once('data', () => resolve());
    socket.once('error', reject);
  });
  socket.on('data', (chunk: Buffer) => {
    const text = chunk.toString('latin1');
    chunks.push(text);
    tail = (tail + text).slice(-LAST_CHUNK.length);
  });
  // The server sends the head when it has opened the stream: what the stream carries from then on waits here.
  await headCame;
  socket.pause();
  return { socket, text: () => chunks.join(''), ended: () => tail === LAST_CHUNK };
}

/** The end of a chunked body (the connection itself is kept alive). */
const LAST_CHUNK = '\r\n0\r\n\r\n';

/** How far the `flood` generator of `tag` got once it stopped advancing (no move between two looks). */
export async function settledCount(tag: string): Promise<number> {
  // Only a guard against hangs bounds the wait.
  let last = -1;
  await waitFor(
    async () => {
      const now = produced.get(tag) ?? 0;
      const settled = now === last && now > 0;
      last = now;
      await new Promise((resolve) => setTimeout(resolve, 250));
      return settled;
    },
    `the generator of ${tag} to stop advancing`,
    30_000,
  );
  return last;
}

/** Tags whose `endless` generator ran its `finally` (it was returned: cancel, disconnect, time limit). */
export const finished = new Set<string>();

/**
 * `endless(tag)`: an async generator with no end that gives the event loop a turn every 100 steps — without flow
 * control it grows memory for as long as it runs, without blocking the server.
 */
@Injectable()
export class EndlessService {
  @GradioApi({ name: 'endless', concurrencyLimit: null })
  async *endless(tag: string): AsyncGenerator<string> {
    const padding = 'x'.repeat(200);
    try {
      for (let step = 1; ; step++) {
        produced.set(tag, step);
        if (step % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
        yield `${tag}:${step}:${padding}`;
      }
    } finally {
      finished.add(tag);
    }
  }
}

/** The body of a raw HTTP/1.1 response with a chunked body, decoded (as far as it has arrived). */
export function chunkedBody(raw: string): string {
  let at = raw.indexOf('\r\n\r\n') + 4;
  let body = '';
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) return body;
    const size = parseInt(raw.slice(at, lineEnd), 16);
    if (!(size > 0) || raw.length < lineEnd + 2 + size) return body;
    body += raw.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}

/** The SSE events of a `call/` stream body: each `event:` name with its parsed `data:`. */
export function callEvents(body: string): { event: string; data: unknown }[] {
  return body
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const [eventLine = '', dataLine = ''] = block.split('\n');
      return { event: eventLine.slice('event: '.length), data: JSON.parse(dataLine.slice('data: '.length)) as unknown };
    });
}
