import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { onceClosed } from '../http/http-exchange.js';
import { baseName, sanitizeFileName } from './file-name.js';
import { FileTooLargeError, type FileStore, type StagedFile } from './file-store.service.js';
import { boundaryOf, MultipartPartCounter } from './multipart-parts.js';

/** The upload field Gradio's clients use (one part per file). */
const FILES_FIELD = 'files';
/** Gradio's limits: 1000 files and 1000 other fields per request, part headers up to 8 KiB. */
export const MAX_UPLOAD_FILES = 1000;
const MAX_UPLOAD_FIELDS = 1000;
const MAX_PART_HEADER_BYTES = 8192;
/** How long a refusal waits for the temporary files of the refused upload to be removed. */
const DISCARD_WAIT_MS = 2000;

/** Why an upload was refused: the HTTP status and the body Gradio answers with (JSON `detail` or plain text). */
export class UploadError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly format: 'json' | 'text',
  ) {
    super(message);
  }
}

export interface UploadLimits {
  maxFileSize: number | null;
  timeoutMs: number;
  idleTimeoutMs: number;
}

export interface UploadProgressSink {
  record(fileName: string, bytes: number): void;
}

/**
 * Receives `multipart/form-data` with one part per file in the field `files` (docs/protocol.md#uploads): each file is streamed
 * into the store while it is hashed, and only when the whole request has arrived are the files moved to their
 * final places — all or none, so a refused, timed-out or abandoned upload leaves no file behind. Resolves with the
 * stored paths in the order of the parts.
 */
export function receiveUpload(
  request: IncomingMessage,
  store: FileStore,
  limits: UploadLimits,
  progress?: UploadProgressSink,
): Promise<string[]> {
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'multipart/form-data') return Promise.reject(new UploadError(400, 'Invalid content type.', 'json'));
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: request.headers,
      // Names are reduced to their last component below, the way Gradio does it (`\` is not a separator there).
      preservePath: true,
      // Clients send file names as raw UTF-8 (Gradio decodes them so too).
      defParamCharset: 'utf8',
      limits: {
        files: MAX_UPLOAD_FILES,
        fields: MAX_UPLOAD_FIELDS,
        fieldSize: 1024 * 1024,
        // Busboy reports the limit once a file reaches it; one byte more means "larger than allowed".
        ...(limits.maxFileSize === null ? {} : { fileSize: limits.maxFileSize + 1 }),
      },
    });
  } catch (error) {
    const message = (error as Error).message;
    const reason = /boundary/i.test(message)
      ? 'Missing boundary in multipart.'
      : `Could not parse multipart request: ${message}`;
    return Promise.reject(new UploadError(400, reason, 'text'));
  }
  const counter = new MultipartPartCounter(boundaryOf(request.headers['content-type'] ?? '') ?? '');
  return new Promise<string[]>((resolve, reject) => {
    const parts: { name: string; staged: Promise<StagedFile> }[] = [];
    let failed = false;
    let idleTimer: NodeJS.Timeout | undefined;
    let timersCleared = false;

    const discardAll = (): void => {
      for (const part of parts)
        part.staged.then(
          (staged) => store.discard(staged),
          () => undefined,
        );
    };
    const fail = (error: UploadError): void => {
      if (failed) return;
      failed = true;
      clearTimers();
      request.unpipe(parser);
      // Busboy may be in the middle of a chunk: stop it on the next turn. It then ends its open file stream with an
      // error, which makes `stage` remove that file's temporary copy.
      setImmediate(() => parser.destroy());
      // Answer once every part's temporary file is gone (or after a bound, should a part never settle), so that
      // nothing of a refused upload is left in the upload folder when its client reads the refusal.
      const discarded = Promise.allSettled(parts.map((part) => part.staged.then((staged) => store.discard(staged))));
      const bound = new Promise((resolve) => setTimeout(resolve, DISCARD_WAIT_MS).unref());
      void Promise.race([discarded, bound]).then(() => reject(error));
    };
    let lastDataAt = Date.now();
    const onData = (chunk: Buffer): void => {
      lastDataAt = Date.now();
      counter.push(chunk);
    };
    // The idle limit is checked by one timer that re-arms itself for the time left, not one timer per chunk. When it
    // fires, the check waits for the I/O phase of the event loop: on a busy server, timers run before the bytes that
    // arrived meanwhile are read, and a client that kept sending must not be cut off for the server's own delay.
    const armIdleTimer = (delayMs: number): void => {
      idleTimer = setTimeout(() => {
        setImmediate(() => {
          if (timersCleared) return;
          // Paused by back-pressure (the disk is slower than the client): the wait is the server's, not the client's.
          if (request.readableFlowing === false) lastDataAt = Date.now();
          const idleMs = Date.now() - lastDataAt;
          if (idleMs >= limits.idleTimeoutMs) fail(new UploadError(408, 'Upload timed out: no data received.', 'text'));
          else armIdleTimer(limits.idleTimeoutMs - idleMs);
        });
      }, delayMs);
    };
    const totalTimer = setTimeout(
      () => fail(new UploadError(408, `Upload timed out: not complete after ${limits.timeoutMs / 1000} s.`, 'text')),
      limits.timeoutMs,
    );
    const clearTimers = (): void => {
      timersCleared = true;
      clearTimeout(totalTimer);
      clearTimeout(idleTimer);
      request.off('data', onData);
    };

    const refuse = (message: string): void => fail(new UploadError(400, message, 'text'));
    parser.on('file', (field: string, stream: Readable, info: busboy.FileInfo) => {
      // Busboy ends an unfinished file stream with an error; it must never go unhandled.
      stream.on('error', () => undefined);
      if (failed || field !== FILES_FIELD) {
        stream.resume();
        if (!failed) refuse(unexpectedFieldMessage(field));
        return;
      }
      // Busboy hides the raw part headers; their size is that of what it decoded from them.
      const disposition = `form-data; name="${field}"; filename="${info.filename ?? ''}"`;
      if (Buffer.byteLength(`content-disposition${disposition}content-type${info.mimeType}`) > MAX_PART_HEADER_BYTES) {
        stream.resume();
        fail(new UploadError(413, `Headers exceeded maximum allowed size of ${MAX_PART_HEADER_BYTES} bytes.`, 'text'));
        return;
      }
      const name = info.filename ? sanitizeFileName(baseName(info.filename)) : `tmp${randomBytes(5).toString('hex')}`;
      if (name === '..') {
        stream.resume();
        fail(new UploadError(400, `Invalid file name: ${name}`, 'json'));
        return;
      }
      stream.on('limit', () =>
        fail(new UploadError(413, new FileTooLargeError(limits.maxFileSize ?? 0).message, 'text')),
      );
      const reported = info.filename ?? name;
      const staged = store.stage(stream, {
        maxBytes: limits.maxFileSize,
        onChunk: progress ? (bytes) => progress.record(reported, bytes) : undefined,
      });
      staged.catch((error: unknown) => {
        if (error instanceof FileTooLargeError) fail(new UploadError(413, error.message, 'text'));
        else if (!failed) fail(new UploadError(500, 'Could not store the uploaded file.', 'text'));
      });
      parts.push({ name, staged });
    });
    // The clients send files under one name and nothing else. Another part is a client mistake (a misspelt field, a
    // path sent as text instead of the file) that an empty answer would hide; Gradio ignores it.
    parser.on('field', (field: string) =>
      refuse(
        field === FILES_FIELD
          ? `The field "${FILES_FIELD}" must hold files (parts with a filename), not text.`
          : unexpectedFieldMessage(field),
      ),
    );
    parser.on('filesLimit', () => refuse(`Too many files. Maximum number of files is ${MAX_UPLOAD_FILES}.`));
    parser.on('fieldsLimit', () => refuse(`Too many fields. Maximum number of fields is ${MAX_UPLOAD_FIELDS}.`));
    parser.on('error', (error: Error) => refuse(`Could not parse multipart request: ${error.message}`));
    parser.on('close', () => {
      if (failed) return;
      // A part Busboy passed over (every other part was reported, and a field refused).
      if (counter.parts > parts.length) {
        refuse('The Content-Disposition header field "name" must be provided.');
        return;
      }
      void Promise.all(parts.map((part) => part.staged)).then(
        async (staged) => {
          if (failed) return;
          clearTimers();
          try {
            const paths: string[] = [];
            for (const [index, file] of staged.entries()) {
              paths.push(await store.commit(file, (parts[index] as { name: string }).name));
            }
            resolve(paths);
          } catch {
            failed = true;
            discardAll();
            reject(new UploadError(500, 'Could not store the uploaded file.', 'text'));
          }
        },
        () => undefined, // each failure was reported by its own handler
      );
    });
    // The client went away before sending everything.
    request.on('aborted', () => fail(new UploadError(400, 'The upload was interrupted.', 'text')));
    onceClosed(request, () => {
      if (!request.complete) fail(new UploadError(400, 'The upload was interrupted.', 'text'));
    });
    request.on('error', () => fail(new UploadError(400, 'The upload was interrupted.', 'text')));
    request.on('data', onData);
    armIdleTimer(limits.idleTimeoutMs);
    request.pipe(parser);
  });
}

function unexpectedFieldMessage(field: string): string {
  return `Unexpected form field "${field}": an upload sends its files under "${FILES_FIELD}" and nothing else.`;
}
