import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { EndpointRegistry } from '../discovery/endpoint.registry.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { QueueRefusedError } from '../queue/queue-refused.error.js';
import type { EstimationMessage } from '../wire/queue-message.interface.js';
import { QueueService } from '../queue/queue.service.js';
import { GradioAuthGuard } from '../auth/gradio-auth.guard.js';
import { GradioPublicRoute } from '../decorators/gradio-public.decorator.js';
import { gradioRequestOf } from '../http/gradio-request.js';
import { type HttpRequest, type HttpResponse, onceClosed, takeOverResponse } from '../http/http-exchange.js';
import { httpDetail, missingField, refuseInvalidField } from '../http/http-detail.js';
import { isJsonObject } from '../http/json-body.js';
import { EventStreamWriter } from '../http/sse.js';
import { ClosedStreams } from './closed-streams.js';
import { QueueDataRelay } from './queue-data.relay.js';
import { authorizeCall } from './endpoint-authorization.js';
import { DocumentedRoute } from '../http/route-doc.js';
import { CANCEL_DOC, QUEUE_DATA_DOC, QUEUE_JOIN_DOC, QUEUE_STATUS_DOC, RESET_DOC } from './protocol.route-docs.js';

/**
 * How long a data stream stays open after its session's last pending event completed. The clients decide whether
 * to open a new stream when a join returns, before they have read a `close_stream` already on its way; a join
 * answered in that gap gets filed under the closing stream and its call is lost (the Python client reports it
 * cancelled). Back-to-back and concurrent calls join within this window, so they keep using the open stream; a join
 * that comes just after it is answered once the client has hung up the closed stream (see ClosedStreams).
 */
const STREAM_LINGER_MS = 200;

/** Body of `POST /gradio_api/queue/join` (Gradio's `PredictBody`); unknown keys are ignored. */
interface JoinBody {
  data?: unknown;
  fn_index?: unknown;
  session_hash?: unknown;
  simple_format?: unknown;
}

/** Gradio's queue protocol (`sse_v3`): join, the per-session data stream, status, cancel and reset. */
@Controller('gradio_api')
@UseGuards(GradioAuthGuard)
export class QueueController {
  private readonly closedStreams: ClosedStreams;

  constructor(
    private readonly queue: QueueService,
    private readonly registry: EndpointRegistry,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {
    this.closedStreams = new ClosedStreams(queue);
  }

  @Post('queue/join')
  @DocumentedRoute(QUEUE_JOIN_DOC)
  @HttpCode(200)
  async join(
    @Body() body: JoinBody | undefined,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<{ event_id: string }> {
    if (!isJsonObject(body) || !Object.hasOwn(body, 'data')) throw missingField('body', 'data', body);
    if (!Array.isArray(body.data)) throw httpDetail(422, 'data must be a list with one value per parameter.');
    if (typeof body.session_hash !== 'string' || body.session_hash.length === 0) {
      throw httpDetail(400, 'Session hash not found.');
    }
    if (body.fn_index === undefined || body.fn_index === null) throw httpDetail(400, 'No function index provided.');
    // Gradio's model coerces "1" to 1; accept the same.
    const fnIndex =
      typeof body.fn_index === 'string' && /^\d+$/.test(body.fn_index) ? Number(body.fn_index) : body.fn_index;
    const endpoint = Number.isInteger(fnIndex) ? this.registry.getById(fnIndex as number) : undefined;
    if (!endpoint) throw httpDetail(404, `There is no endpoint with fn_index ${JSON.stringify(body.fn_index)}.`);
    const authorized = authorizeCall(endpoint, request, response);
    if (authorized) await authorized;
    try {
      const joined = this.queue.joinWhenCounted(endpoint, {
        sessionHash: body.session_hash,
        data: body.data,
        simpleFormat: body.simple_format === true,
        request: gradioRequestOf(request, this.options.rootPath),
      });
      const event = joined instanceof Promise ? await joined : joined;
      // A stream of the session closed a moment ago, here or on another process: see ClosedStreams.
      const handedOver = this.closedStreams.handedOver(body.session_hash);
      if (handedOver) await handedOver;
      return { event_id: event.id };
    } catch (error) {
      if (error instanceof QueueRefusedError) throw httpDetail(503, error.message);
      throw error;
    }
  }

  @Get('queue/data')
  @DocumentedRoute(QUEUE_DATA_DOC)
  data(@Query('session_hash') sessionHash: unknown, @Res() reply: HttpResponse): void {
    if (typeof sessionHash !== 'string' || sessionHash.length === 0) throw missingField('query', 'session_hash', null);
    const response = takeOverResponse(reply);
    const writer = new EventStreamWriter(response);
    const subscription = this.queue
      .openStream(sessionHash, {
        lingerMs: STREAM_LINGER_MS,
        flow: writer,
        closeHandover: true,
      })
      .subscribe(new QueueDataRelay(writer, response, sessionHash, this.closedStreams));
    onceClosed(response, () => subscription.unsubscribe());
  }

  @Get('queue/status')
  @DocumentedRoute(QUEUE_STATUS_DOC)
  async status(): Promise<EstimationMessage> {
    const counted = this.queue.waitingCounted();
    if (counted) await counted;
    return this.queue.status();
  }

  /** Open without a login, as in Gradio. */
  @Post('cancel')
  @DocumentedRoute(CANCEL_DOC)
  @GradioPublicRoute()
  @HttpCode(200)
  cancel(@Body() body: { session_hash?: unknown; event_id?: unknown; fn_index?: unknown } | undefined): {
    success: true;
  } {
    if (!isJsonObject(body)) throw missingField('body', 'event_id', body);
    for (const field of ['session_hash', 'fn_index', 'event_id'] as const) {
      if (!Object.hasOwn(body, field)) throw missingField('body', field, body);
    }
    // Gradio's `CancelBody` types, which its clients send.
    refuseInvalidField(body, 'session_hash', 'text');
    refuseInvalidField(body, 'fn_index', 'integer');
    refuseInvalidField(body, 'event_id', 'text');
    this.queue.cancel(body.session_hash as string, body.event_id as string);
    return { success: true };
  }

  /** Kept by Gradio for old clients; both current clients still call it after a cancel. */
  @Post('reset')
  @DocumentedRoute(RESET_DOC)
  @GradioPublicRoute()
  @HttpCode(200)
  reset(@Body() body: { event_id?: unknown } | undefined): { success: true } {
    if (!isJsonObject(body) || !Object.hasOwn(body, 'event_id')) throw missingField('body', 'event_id', body);
    refuseInvalidField(body, 'event_id', 'text');
    return { success: true };
  }
}
