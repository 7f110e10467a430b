/**
 * Counts the parts of a `multipart/form-data` body as its bytes arrive, by its delimiters (RFC 2046 §5.1.1), up to
 * the closing one. Busboy passes over a part whose headers do not name a form field (no `Content-Disposition`, or
 * a header section that never ends) without a word, where Gradio refuses the body: comparing this count with the
 * parts Busboy reported tells such a body apart from one that has no parts at all.
 */
export class MultipartPartCounter {
  private readonly delimiter: Buffer;
  /** Bytes kept from the previous chunk, where a delimiter may have begun. Busboy also reads as if a CRLF came first. */
  private pending = Buffer.from('\r\n');
  private delimiters = 0;
  private closed = false;

  constructor(boundary: string) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  }

  push(chunk: Buffer): void {
    if (this.closed) return;
    const data = Buffer.concat([this.pending, chunk]);
    let from = 0;
    for (;;) {
      const at = data.indexOf(this.delimiter, from);
      if (at < 0) break;
      const after = at + this.delimiter.length;
      // Whether `--` follows (the closing delimiter) is not known yet: wait for the next chunk.
      if (data.length < after + 2) {
        this.pending = data.subarray(at);
        return;
      }
      this.delimiters += 1;
      if (data[after] === 0x2d && data[after + 1] === 0x2d) {
        this.closed = true; // what follows is the epilogue, which holds no parts
        return;
      }
      from = after;
    }
    this.pending = Buffer.from(data.subarray(Math.max(from, data.length - this.delimiter.length - 1)));
  }

  /** The parts between the delimiters seen so far (a body that never closed counts its last one too). */
  get parts(): number {
    return this.closed ? this.delimiters - 1 : this.delimiters;
  }
}

/** The `boundary` parameter of a multipart media type (quoted or not), or `undefined`. */
export function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}
