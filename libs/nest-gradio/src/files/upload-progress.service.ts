import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';

/** One progress report of `GET /gradio_api/upload_progress`: bytes of one file received since the last report. */
export interface UploadProgressUpdate {
  orig_name: string;
  chunk_size: number;
}

class UploadTracker extends EventEmitter {
  /** Bytes received and not yet reported, merged per file while the same file goes on. */
  pending: UploadProgressUpdate[] = [];
  done = false;
  expiry: NodeJS.Timeout | undefined;
}

/** Most uploads tracked at once; an upload beyond it still works, without progress reports. */
const MAX_TRACKED = 10_000;
/** How long the progress of a finished upload is kept for a client that has not asked for it yet. */
const KEEP_FINISHED_MS = 60_000;

/**
 * Progress of uploads sent with `?upload_id=…` (docs/protocol.md#upload-progress): the upload route reports bytes as they arrive,
 * and the progress route, which may be opened before or after the upload starts, streams them. Nothing is kept
 * once a finished upload's progress has been read or has gone unread for a minute.
 */
@Injectable()
export class UploadProgressService {
  private readonly trackers = new Map<string, UploadTracker>();
  private readonly started = new EventEmitter();

  constructor() {
    this.started.setMaxListeners(0);
  }

  /** Starts tracking an upload; false when too many are tracked already. */
  track(uploadId: string): boolean {
    if (this.trackers.has(uploadId)) return true;
    if (this.trackers.size >= MAX_TRACKED) return false;
    this.trackers.set(uploadId, new UploadTracker());
    this.started.emit(uploadId);
    return true;
  }

  record(uploadId: string, fileName: string, bytes: number): void {
    const tracker = this.trackers.get(uploadId);
    if (!tracker || tracker.done) return;
    const last = tracker.pending[tracker.pending.length - 1];
    if (last?.orig_name === fileName) last.chunk_size += bytes;
    else tracker.pending.push({ orig_name: fileName, chunk_size: bytes });
    tracker.emit('change');
  }

  finish(uploadId: string): void {
    const tracker = this.trackers.get(uploadId);
    if (!tracker || tracker.done) return;
    tracker.done = true;
    tracker.emit('change');
    tracker.expiry = setTimeout(() => this.forget(uploadId), KEEP_FINISHED_MS);
    tracker.expiry.unref();
  }

  /** Resolves when the upload is tracked, or with false after `waitMs` (Gradio waits 3 s, then answers 404). */
  whenTracked(uploadId: string, waitMs: number): Promise<boolean> {
    if (this.trackers.has(uploadId)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onStart = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.started.off(uploadId, onStart);
        resolve(false);
      }, waitMs);
      this.started.once(uploadId, onStart);
    });
  }

  /**
   * Follows a tracked upload: `onUpdate` gets what arrived since the last call (at most every `intervalMs`), then
   * `onDone` once. Returns a function that stops following.
   */
  follow(
    uploadId: string,
    intervalMs: number,
    onUpdate: (update: UploadProgressUpdate) => void,
    onDone: () => void,
  ): () => void {
    const tracker = this.trackers.get(uploadId);
    if (!tracker) {
      onDone();
      return () => undefined;
    }
    let timer: NodeJS.Timeout | undefined;
    let lastFlush = 0;
    const flush = (): void => {
      timer = undefined;
      lastFlush = performance.now();
      for (const update of tracker.pending.splice(0)) onUpdate(update);
      if (tracker.done) {
        stop();
        this.forget(uploadId);
        onDone();
      }
    };
    const onChange = (): void => {
      if (timer) return;
      timer = setTimeout(flush, Math.max(0, lastFlush + intervalMs - performance.now()));
    };
    const stop = (): void => {
      clearTimeout(timer);
      tracker.off('change', onChange);
    };
    tracker.on('change', onChange);
    if (tracker.pending.length > 0 || tracker.done) onChange();
    return stop;
  }

  /** Uploads currently tracked (for tests that check nothing is left behind). */
  get size(): number {
    return this.trackers.size;
  }

  private forget(uploadId: string): void {
    const tracker = this.trackers.get(uploadId);
    if (!tracker) return;
    clearTimeout(tracker.expiry);
    this.trackers.delete(uploadId);
  }
}
