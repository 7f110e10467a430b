import type { ServerResponse } from 'node:http';
import type { StreamFlow } from '../queue/session-streams.js';

/**
 * Unsent bytes (roughly: characters) past which a stream counts as behind and the generators feeding it wait: far
 * above one message, far below what would matter for memory even with thousands of streams behind at once.
 */
const MAX_UNSENT = 256 * 1024;

/**
 * Starts a Server-Sent Events response. Gradio sets no caching headers; we add `no-cache` and turn proxy buffering
 * off so that messages are not held back by intermediaries.
 */
export function startEventStream(response: ServerResponse, { flush = true }: { flush?: boolean } = {}): void {
  response.statusCode = 200;
  response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  response.setHeader('Cache-Control', 'no-cache');
  response.setHeader('Connection', 'keep-alive');
  response.setHeader('X-Accel-Buffering', 'no');
  if (flush) response.flushHeaders();
  response.socket?.setNoDelay(true);
}

/**
 * An SSE response that sends what one turn of the event loop produced in a single socket write. A queue call makes
 * three messages in one turn (`estimation`, `process_starts`, `process_completed`); written one by one they cost a
 * chunk header and a `writev` system call each, the largest self time in the profile. Frames are collected and
 * written in `setImmediate`, after the turn's I/O and microtasks, so no frame waits for anything but the current
 * turn. The headers go out with the first frames, or alone in that first flush when there is nothing to send yet.
 */
export class EventStreamWriter implements StreamFlow {
  private pending = '';
  private scheduled = false;
  private ended = false;
  /** Generators waiting for this stream to catch up (see {@link StreamFlow}); made on first wait. */
  private waiting: (() => void)[] | undefined;
  /** {@link release} as the response's listener, made with {@link waiting}: most streams never wait. */
  private releaseListener: (() => void) | undefined;

  constructor(private readonly response: ServerResponse) {
    startEventStream(response, { flush: false });
    this.schedule();
  }

  saturated(): boolean {
    return !this.ended && !this.response.destroyed && this.pending.length + this.response.writableLength > MAX_UNSENT;
  }

  drained(): Promise<void> {
    if (!this.waiting) {
      this.waiting = [];
      this.releaseListener = () => this.release();
      this.response.on('drain', this.releaseListener);
      this.response.once('close', this.releaseListener);
    }
    const waiting = this.waiting;
    return new Promise((resolve) => waiting.push(resolve));
  }

  /** Queues one frame (a complete `data: …\n\n` block) for this turn's write. */
  send(frame: string): void {
    if (this.ended) return;
    this.pending += frame;
    this.schedule();
  }

  /** Writes what is queued and ends the response, in one write. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const text = this.pending;
    this.pending = '';
    if (text) this.response.end(text);
    else this.response.end();
    this.release();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // The writer as the callback's argument: a bound function or an arrow property would be one more object per
    // open stream, and thousands of idle streams stay open.
    setImmediate(flushWriter, this);
  }

  /** Writes what this turn queued: {@link schedule} runs it after the turn. */
  flush(): void {
    this.scheduled = false;
    if (this.ended || this.response.destroyed) return this.release();
    const first = !this.response.headersSent;
    if (this.pending) {
      const text = this.pending;
      this.pending = '';
      this.response.write(text);
    } else if (first) {
      this.response.flushHeaders();
    }
    if (first) flattenSentHead(this.response);
    this.release();
  }

  /** Lets the waiting generators go on once the stream has caught up (or is gone). */
  private release(): void {
    if (!this.waiting?.length || this.saturated()) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}

function flushWriter(writer: EventStreamWriter): void {
  writer.flush();
}

/**
 * Node keeps the head it sent as the response's `_header` for the response's life, in the form it built it: one
 * string per header line, joined into a rope of some twenty-five pieces (about 0.8 KB per open stream, among an idle
 * stream's largest). Reading a character makes V8 flatten the rope in place into one string. Only read; a Node
 * without the field is left as it is.
 */
function flattenSentHead(response: ServerResponse): void {
  const head = (response as { _header?: unknown })._header;
  if (typeof head === 'string') head.charCodeAt(0);
}
