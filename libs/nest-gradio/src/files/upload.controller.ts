import { Controller, Get, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { GRADIO_MODULE_OPTIONS } from '../gradio.constants.js';
import type { ResolvedGradioOptions } from '../interfaces/gradio-module-options.interface.js';
import { GradioAuthGuard } from '../protocol/auth/gradio-auth.guard.js';
import { pythonJsonDumps } from '../protocol/python-json.js';
import { startEventStream } from '../protocol/sse.js';
import { FileStore } from './file-store.service.js';
import { receiveUpload, UploadError } from './multipart-upload.js';
import { UploadProgressService } from './upload-progress.service.js';

/** How long `upload_progress` waits for its upload to start (Gradio's 3 s), and how often it reports. */
const PROGRESS_WAIT_MS = 3000;
const PROGRESS_INTERVAL_MS = 50;
const PROGRESS_HEARTBEAT_MS = 15_000;
/** After refusing an upload, how long the rest of its body is read (and dropped) so the client sees the answer. */
const DRAIN_MS = 5000;

/** `POST /gradio_api/upload` and `GET /gradio_api/upload_progress` (reference §9.2, §9.3). */
@Controller('gradio_api')
@UseGuards(GradioAuthGuard)
export class UploadController {
  constructor(
    private readonly store: FileStore,
    private readonly progress: UploadProgressService,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  @Post('upload')
  async upload(@Req() request: Request, @Res() response: Response, @Query('upload_id') uploadId?: unknown): Promise<void> {
    const tracked = typeof uploadId === 'string' && uploadId.length > 0 && this.progress.track(uploadId);
    const { maxFileSize, uploadTimeoutMs, uploadIdleTimeoutMs } = this.options.files;
    try {
      const paths = await receiveUpload(
        request,
        this.store,
        { maxFileSize, timeoutMs: uploadTimeoutMs, idleTimeoutMs: uploadIdleTimeoutMs },
        tracked ? { record: (name, bytes) => this.progress.record(uploadId, name, bytes) } : undefined,
      );
      response.status(200).json(paths);
    } catch (error) {
      if (!(error instanceof UploadError)) throw error;
      refuse(request, response, error);
    } finally {
      if (tracked) this.progress.finish(uploadId);
    }
  }

  @Get('upload_progress')
  async uploadProgress(@Query('upload_id') uploadId: unknown, @Res() response: Response): Promise<void> {
    if (typeof uploadId !== 'string' || uploadId.length === 0 || !(await this.progress.whenTracked(uploadId, PROGRESS_WAIT_MS))) {
      response.status(404).type('text/plain').send('Upload not found');
      return;
    }
    startEventStream(response);
    const send = (message: Record<string, unknown>): void => {
      response.write(`data: ${pythonJsonDumps(message)}\n\n`);
    };
    const heartbeat = setInterval(() => send({ msg: 'heartbeat' }), PROGRESS_HEARTBEAT_MS);
    const stop = this.progress.follow(
      uploadId,
      PROGRESS_INTERVAL_MS,
      (update) => send({ msg: 'update', ...update }),
      () => {
        clearInterval(heartbeat);
        send({ msg: 'done' });
        response.end();
      },
    );
    response.on('close', () => {
      clearInterval(heartbeat);
      stop();
    });
  }
}

/**
 * Answers a refused upload. The client may still be sending: the connection is closed after the answer, and the
 * rest of the body is read and dropped for a moment first, so that the client can read the status instead of
 * seeing its connection reset.
 */
function refuse(request: Request, response: Response, error: UploadError): void {
  response.status(error.status).setHeader('Connection', 'close');
  if (error.format === 'json') response.json({ detail: error.message });
  else response.type('text/plain').send(error.message);
  if (request.complete) return;
  if (error.status === 408) {
    // A client that stalls gets no more time.
    response.on('finish', () => request.destroy());
    return;
  }
  request.resume();
  const timer = setTimeout(() => request.destroy(), DRAIN_MS);
  timer.unref();
  request.once('end', () => clearTimeout(timer));
}
