import { Controller, Get, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { GradioAuthGuard } from '../auth/gradio-auth.guard.js';
import { pythonJsonDumps } from '../wire/python-json.js';
import { startEventStream } from '../http/sse.js';
import {
  type HttpRequest,
  type HttpResponse,
  nodeRequestOf,
  onceClosed,
  sendJson,
  sendText,
  takeOverResponse,
} from '../http/http-exchange.js';
import { FileStore } from './file-store.service.js';
import { receiveUpload, UploadError } from './multipart-upload.js';
import { UploadProgressService } from './upload-progress.service.js';
import { DocumentedRoute } from '../http/route-doc.js';
import { UPLOAD_DOC, UPLOAD_PROGRESS_DOC } from './files.route-docs.js';

/** How long `upload_progress` waits for its upload to start (Gradio's 3 s), and how often it reports. */
const PROGRESS_WAIT_MS = 3000;
const PROGRESS_INTERVAL_MS = 50;
const PROGRESS_HEARTBEAT_MS = 15_000;
/**
 * After refusing an upload whose body is still arriving, how long and how much of the rest is read and dropped before
 * the connection is cut: long enough for a client that writes its whole body before reading (most do) to finish and
 * see the answer, short enough that a refused client cannot hold the connection or waste much bandwidth.
 */
const LINGER_MS = 5000;
const LINGER_BYTES = 32 * 1024 * 1024;

/** `POST /gradio_api/upload` and `GET /gradio_api/upload_progress` (docs/protocol.md#uploads, docs/protocol.md#upload-progress). */
@Controller('gradio_api')
@UseGuards(GradioAuthGuard)
export class UploadController {
  constructor(
    private readonly store: FileStore,
    private readonly progress: UploadProgressService,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  @Post('upload')
  @DocumentedRoute(UPLOAD_DOC)
  async upload(
    @Req() request: HttpRequest,
    @Res() response: HttpResponse,
    @Query('upload_id') uploadId?: unknown,
  ): Promise<void> {
    const tracked = typeof uploadId === 'string' && uploadId.length > 0 && this.progress.track(uploadId);
    const { maxFileSize, uploadTimeoutMs, uploadIdleTimeoutMs } = this.options.files;
    try {
      const paths = await receiveUpload(
        nodeRequestOf(request),
        this.store,
        { maxFileSize, timeoutMs: uploadTimeoutMs, idleTimeoutMs: uploadIdleTimeoutMs },
        tracked ? { record: (name, bytes) => this.progress.record(uploadId, name, bytes) } : undefined,
      );
      sendJson(response, 200, paths);
    } catch (error) {
      if (!(error instanceof UploadError)) throw error;
      refuse(nodeRequestOf(request), takeOverResponse(response), error);
    } finally {
      if (tracked) this.progress.finish(uploadId);
    }
  }

  @Get('upload_progress')
  @DocumentedRoute(UPLOAD_PROGRESS_DOC)
  async uploadProgress(@Query('upload_id') uploadId: unknown, @Res() reply: HttpResponse): Promise<void> {
    if (
      typeof uploadId !== 'string' ||
      uploadId.length === 0 ||
      !(await this.progress.whenTracked(uploadId, PROGRESS_WAIT_MS))
    ) {
      sendText(reply, 404, 'Upload not found');
      return;
    }
    const response = takeOverResponse(reply);
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
    onceClosed(response, () => {
      clearInterval(heartbeat);
      stop();
    });
  }
}

/**
 * Answers a refused upload. When the client is still sending, the connection is closed the way RFC 9112 §9.6 asks
 * (a "lingering close"): closing it at once — which `Connection: close` makes Node do as soon as the answer is
 * written — leaves the client's next bytes unread, the kernel answers them with a reset, and the reset can destroy
 * the answer before the client reads it: the client sees `ECONNRESET` instead of 413 or 408. So the answer is sent
 * without `Connection: close`, then only the sending side is closed (FIN), and what the client still sends is read
 * and dropped until it stops, for at most {@link LINGER_MS} and {@link LINGER_BYTES}.
 */
function refuse(request: IncomingMessage, response: ServerResponse, error: UploadError): void {
  if (!request.complete) lingeringClose(request, response);
  if (error.format === 'json') sendJson(response, error.status, { detail: error.message });
  else sendText(response, error.status, error.message);
}

function lingeringClose(request: IncomingMessage, response: ServerResponse): void {
  const socket = request.socket;
  const cut = (): void => {
    socket.destroy();
  };
  const timer = setTimeout(cut, LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  let dropped = 0;
  request.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) cut();
  });
  request.resume();
  // After the answer is written: no further request is taken on this connection.
  response.once('finish', () => socket.end());
}
