// Server-Sent Events framing for the load generator: splits a byte stream into blocks on blank lines, the way both
// official clients read `queue/data` (Python: split on b"\n\n"; JS: EventSource-like parsing), and decodes the two
// block shapes this protocol uses.

/**
 * Splits a stream of chunks into SSE blocks (the text between blank lines), across chunk boundaries. Gradio's queue
 * streams end lines with `\n` only (and the Python client requires it); `crlf` also accepts `\r\n` line ends, as
 * Python MCP servers (sse-starlette) send them.
 */
export class SseSplitter {
  #decoder = new TextDecoder();
  #buffer = '';

  constructor({ crlf = false } = {}) {
    this.crlf = crlf;
  }

  /** Feeds one chunk; returns the blocks it completed (possibly none). */
  push(chunk) {
    this.#buffer += typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    if (this.crlf) this.#buffer = this.#buffer.replace(/\r\n/g, '\n');
    const blocks = [];
    let start = 0;
    let end;
    while ((end = this.#buffer.indexOf('\n\n', start)) >= 0) {
      if (end > start) blocks.push(this.#buffer.slice(start, end));
      start = end + 2;
    }
    this.#buffer = start === 0 ? this.#buffer : this.#buffer.slice(start);
    return blocks;
  }

  /** Text received after the last blank line (a well-formed stream ends with none). */
  get rest() {
    return this.#buffer;
  }
}

/** A `queue/data` block: `data: <json>` on one line. Throws on anything else (the Python client does too). */
export function parseDataBlock(block) {
  if (!block.startsWith('data:')) throw new Error(`unexpected SSE block: ${JSON.stringify(block.slice(0, 80))}`);
  return JSON.parse(block.slice(5));
}

/** A `call/{name}/{event_id}` block: `event: <kind>` then `data: <json>`. */
export function parseEventBlock(block) {
  const newline = block.indexOf('\n');
  const head = newline < 0 ? block : block.slice(0, newline);
  const tail = newline < 0 ? '' : block.slice(newline + 1);
  if (!head.startsWith('event:') || !tail.startsWith('data:')) {
    throw new Error(`unexpected call-stream block: ${JSON.stringify(block.slice(0, 80))}`);
  }
  return { event: head.slice(6).trim(), data: JSON.parse(tail.slice(5)) };
}
