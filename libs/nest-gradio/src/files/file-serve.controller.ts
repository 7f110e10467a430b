import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Controller, Get, Inject, Param, Req, Res, UseGuards } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { GradioAuthGuard } from '../auth/gradio-auth.guard.js';
import { httpDetail } from '../http/http-detail.js';
import { type HttpRequest, type HttpResponse, takeOverResponse } from '../http/http-exchange.js';
import { parseByteRange } from './byte-range.js';
import { FileStore } from './file-store.service.js';
import { contentDisposition, guessMimeType, INLINE_SAFE_TYPES, servingTypeOf } from './mime-types.js';
import { safeFetch, UrlFetchError, UrlNotAllowedError } from './safe-fetch.js';
import { DocumentedRoute } from '../http/route-doc.js';
import { DEPRECATED_FILE_DOC, FILE_DOC, NO_FILE_DOC } from './files.route-docs.js';

/** A scheme (`ftp://`, `smb://`…) or a Windows network-path prefix (`//`, `\\`, `\/`, `/\`): never a local file. */
const PROTOCOL_OR_UNC = /^(?:[a-z][a-z0-9+\-.]*:\/\/|\/\/|\\\\|\\\/|\/\\)/i;
const HTTP_URL = /^https?:\/\//i;
/** Upstream headers passed on when serving a URL (docs/protocol.md#file-serving step 1). */
const PASSTHROUGH = ['content-length', 'content-range', 'accept-ranges', 'last-modified', 'etag'];

/**
 * `GET/HEAD /gradio_api/file=<path or URL>` (and the older `/gradio_api/file/<path>`), in Gradio's decision order
 * (docs/protocol.md#file-serving): an http(s) URL is fetched by the server, SSRF-safely; any other scheme or network path is
 * refused; a local path is served only if the path policy allows it (uploads, produced files, `allowedPaths`;
 * never blocked paths). Everything refused is 403 — also missing files and folders — so that the answer never
 * tells whether a path exists.
 */
@Controller('gradio_api')
@UseGuards(GradioAuthGuard)
export class FileServeController {
  constructor(
    private readonly store: FileStore,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  @Get('file=*path')
  @DocumentedRoute(FILE_DOC)
  serve(
    @Param('path') segments: string[] | string,
    @Req() request: HttpRequest,
    @Res() response: HttpResponse,
  ): Promise<void> {
    return this.send(joinSegments(segments), request, response);
  }

  @Get('file=')
  @DocumentedRoute(NO_FILE_DOC)
  serveNothing(): never {
    throw notAllowed('');
  }

  /** The deprecated form: the path is relative to the working directory unless it starts with a second `/`. */
  @Get('file/*path')
  @DocumentedRoute(DEPRECATED_FILE_DOC)
  serveDeprecated(
    @Param('path') segments: string[] | string,
    @Req() request: HttpRequest,
    @Res() response: HttpResponse,
  ): Promise<void> {
    return this.send(joinSegments(segments), request, response);
  }

  private async send(path: string, request: HttpRequest, reply: HttpResponse): Promise<void> {
    if (HTTP_URL.test(path)) return this.proxy(path, request, reply);
    if (PROTOCOL_OR_UNC.test(path)) throw notAllowed(path);
    const decision = await (await this.store.policy()).check(path, 'serve');
    if (!decision.ok) throw notAllowed(path);
    const handle = await open(decision.realPath, 'r').catch(() => undefined);
    if (!handle) throw notAllowed(path);
    try {
      // Serve what was opened, even if the path changes meanwhile.
      const stats = await handle.stat();
      if (!stats.isFile()) throw notAllowed(path);
      const name = basename(decision.realPath);
      const { contentType, disposition } = servingTypeOf(guessMimeType(name), decision.reason === 'allowed');
      const response = takeOverResponse(reply);
      response.setHeader('Content-Type', contentType);
      response.setHeader('Content-Disposition', contentDisposition(disposition, name));
      response.setHeader('X-Content-Type-Options', 'nosniff');
      response.setHeader('Accept-Ranges', 'bytes');
      response.setHeader('Last-Modified', stats.mtime.toUTCString());
      response.setHeader('ETag', `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`);
      const range = parseByteRange(request.headers.range, stats.size);
      if (range === 'unsatisfiable') {
        response.statusCode = 416;
        response.setHeader('Content-Range', `bytes */${stats.size}`);
        response.end();
        return;
      }
      const { start, end } = range ?? { start: 0, end: stats.size - 1 };
      response.statusCode = range ? 206 : 200;
      if (range) response.setHeader('Content-Range', `bytes ${start}-${end}/${stats.size}`);
      response.setHeader('Content-Length', String(Math.max(0, end - start + 1)));
      if (request.method === 'HEAD' || end < start) {
        response.end();
        return;
      }
      const stream = createReadStream('', { fd: handle, start, end, autoClose: false });
      await pipeline(stream, response).catch(() => undefined);
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /** Streams an http(s) URL fetched by the server; only public addresses are reached (see `safeFetch`). */
  private async proxy(url: string, request: HttpRequest, reply: HttpResponse): Promise<void> {
    const range = request.headers.range;
    let upstream;
    try {
      upstream = await safeFetch(url, {
        method: request.method === 'HEAD' ? 'HEAD' : 'GET',
        headers: range ? { range } : {},
        allowedHosts: new Set(this.options.files.ssrfAllowedHosts),
      });
    } catch (error) {
      if (error instanceof UrlNotAllowedError) throw notAllowed(url);
      if (error instanceof UrlFetchError) throw httpDetail(502, `Could not fetch file: ${url}.`);
      throw error;
    }
    const { response: source } = upstream;
    const upstreamType = (source.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const guessed = guessMimeType(new URL(upstream.url).pathname);
    const safe = INLINE_SAFE_TYPES.has(upstreamType) || (guessed !== undefined && INLINE_SAFE_TYPES.has(guessed));
    const response: ServerResponse = takeOverResponse(reply);
    response.statusCode = source.statusCode ?? 502;
    response.setHeader(
      'Content-Type',
      safe ? upstreamType || guessed || 'application/octet-stream' : 'application/octet-stream',
    );
    response.setHeader('Content-Disposition', safe ? 'inline' : 'attachment');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    for (const header of PASSTHROUGH) {
      const value = source.headers[header];
      if (value !== undefined) response.setHeader(header, value);
    }
    await pipeline(source, response).catch(() => undefined);
  }
}

function joinSegments(segments: string[] | string): string {
  return Array.isArray(segments) ? segments.join('/') : segments;
}

function notAllowed(path: string): ReturnType<typeof httpDetail> {
  return httpDetail(403, `File not allowed: ${path}.`);
}
