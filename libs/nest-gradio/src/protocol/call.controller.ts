import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import { EndpointRegistry } from '../discovery/endpoint.registry.js';
import { API_PREFIX, GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { missingArgumentMessage } from '../kernel/gradio.messages.js';
import { QueueRefusedError } from '../queue/queue-refused.error.js';
import { QueueService } from '../queue/queue.service.js';
import { encodeCallEvent } from '../wire/call-stream.encoder.js';
import { endpointNamed } from '../http/endpoint-lookup.js';
import { GradioAuthGuard } from '../auth/gradio-auth.guard.js';
import { gradioRequestOf } from '../http/gradio-request.js';
import { type HttpRequest, type HttpResponse, onceClosed, takeOverResponse } from '../http/http-exchange.js';
import { httpDetail, missingField } from '../http/http-detail.js';
import { isJsonObject } from '../http/json-body.js';
import { EventStreamWriter } from '../http/sse.js';
import { authorizeCall } from './endpoint-authorization.js';
import { refuseInvalidArguments } from './argument-check.js';
import { MethodNotAllowed, refuseMethod } from '../http/method-not-allowed.js';
import { DocumentedRoute } from '../http/route-doc.js';
import { CALL_DOC, CALL_NAMED_DOC, CALL_STREAM_DOC } from './protocol.route-docs.js';

/**
 * Gradio's curl protocol (docs/protocol.md#call-protocol): `POST call/{name}` (positional `data`) or `POST call/v2/{name}` (named
 * arguments) queues an event and answers its id; `GET call/{name}/{event_id}` streams the result as
 * `event:`/`data:` lines.
 */
@Controller('gradio_api/call')
@UseGuards(GradioAuthGuard)
export class CallController {
  constructor(
    private readonly queue: QueueService,
    private readonly registry: EndpointRegistry,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
    methodNotAllowed: MethodNotAllowed,
  ) {
    // The result stream's pattern matches `call/v2/<name>`, which it refuses (see `stream`): 405 lists POST only.
    methodNotAllowed.refuseOn(
      (method, path) => (method === 'GET' || method === 'HEAD') && V2_CALL_PATH.test(path) && !this.hasV2Endpoint(),
    );
  }

  @Post('v2/:apiName')
  @DocumentedRoute(CALL_NAMED_DOC)
  @HttpCode(200)
  async callNamed(
    @Param('apiName') apiName: string,
    @Body() body: unknown,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<{ event_id: string }> {
    const endpoint = endpointNamed(this.registry, apiName);
    if (!isJsonObject(body)) throw httpDetail(422, 'The body must be a JSON object of named arguments.');
    const data = positionalArguments(endpoint, body);
    refuseInvalidArguments(endpoint, data);
    const authorized = authorizeCall(endpoint, request, response);
    if (authorized) await authorized;
    return this.submit(endpoint, data, undefined, request);
  }

  @Post(':apiName')
  @DocumentedRoute(CALL_DOC)
  @HttpCode(200)
  async call(
    @Param('apiName') apiName: string,
    @Body() body: { data?: unknown; session_hash?: unknown } | undefined,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<{ event_id: string }> {
    const endpoint = endpointNamed(this.registry, apiName);
    if (!isJsonObject(body) || !Object.hasOwn(body, 'data')) throw missingField('body', 'data', body);
    if (!Array.isArray(body.data)) throw httpDetail(422, 'data must be a list with one value per parameter.');
    refuseInvalidArguments(endpoint, body.data);
    const sessionHash = typeof body.session_hash === 'string' && body.session_hash ? body.session_hash : undefined;
    const authorized = authorizeCall(endpoint, request, response);
    if (authorized) await authorized;
    return this.submit(endpoint, body.data, sessionHash, request);
  }

  @Get([':apiName/:eventId', 'v2/:apiName/:eventId'])
  @DocumentedRoute(CALL_STREAM_DOC)
  stream(
    @Param('apiName') apiName: string,
    @Param('eventId') eventId: string,
    @Req() request: HttpRequest,
    @Res() reply: HttpResponse,
  ): void {
    // `GET call/v2/add` names the POST-only route of `add` (unless an endpoint is called `v2`): 405, not a stream.
    if (apiName === 'v2' && !this.hasV2Endpoint()) return refuseMethod(request, reply, ['POST']);
    // The stream is the event's whole session (docs/protocol.md#call-protocol): without a session hash, the event is its own.
    const sessionHash = this.queue.sessionOfEvent(eventId) ?? eventId;
    const response = takeOverResponse(reply);
    const stream = new EventStreamWriter(response);
    const subscription = this.queue.openStream(sessionHash, { flow: stream }).subscribe({
      next: (message) => {
        const frame = encodeCallEvent(message);
        if (frame !== undefined) stream.send(frame);
      },
      complete: () => stream.end(),
    });
    onceClosed(response, () => subscription.unsubscribe());
  }

  /** Whether an endpoint is named `v2`, whose result stream `GET call/v2/<event_id>` then is. */
  private hasV2Endpoint(): boolean {
    return this.registry.getByName('v2') !== undefined;
  }

  private async submit(
    endpoint: Endpoint,
    data: unknown[],
    sessionHash: string | undefined,
    request: HttpRequest,
  ): Promise<{ event_id: string }> {
    try {
      const joined = this.queue.joinWhenCounted(endpoint, {
        sessionHash,
        data,
        simpleFormat: true,
        request: gradioRequestOf(request, this.options.rootPath),
      });
      const event = joined instanceof Promise ? await joined : joined;
      return { event_id: event.id };
    } catch (error) {
      if (error instanceof QueueRefusedError) throw httpDetail(503, error.message);
      throw error;
    }
  }
}

const V2_CALL_PATH = new RegExp(`${API_PREFIX}/call/v2/[^/]+/?$`);

/**
 * Maps `{"a": 1, "b": 2}` to positional data with the endpoint's parameters: defaults fill missing optional
 * arguments; unknown names and missing required ones are refused (422). An `oauth_token` key is dropped unless a
 * parameter has that name, as Gradio does.
 */
function positionalArguments(endpoint: Endpoint, named: Record<string, unknown>): unknown[] {
  const known = new Set(endpoint.parameters.map((parameter) => parameter.name));
  for (const key of Object.keys(named)) {
    if (known.has(key) || key === 'oauth_token') continue;
    throw httpDetail(
      422,
      `Parameter \`${key}\` is not a valid key-word argument. Valid arguments: ${[...known].join(', ') || 'none'}.`,
    );
  }
  return endpoint.parameters.map((parameter) => {
    if (Object.hasOwn(named, parameter.name)) return named[parameter.name];
    if (parameter.hasDefault) return parameter.defaultValue;
    throw httpDetail(422, missingArgumentMessage(parameter.name, endpoint.apiName));
  });
}
