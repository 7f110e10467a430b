import { Body, Controller, HttpCode, HttpException, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { HttpRequest, HttpResponse } from '../http/http-exchange.js';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import { EndpointRegistry } from '../discovery/endpoint.registry.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import type { OutputPayload } from '../wire/queue-message.interface.js';
import { QueueService } from '../queue/queue.service.js';
import { endpointNamed } from '../http/endpoint-lookup.js';
import { GradioAuthGuard } from '../auth/gradio-auth.guard.js';
import { gradioRequestOf } from '../http/gradio-request.js';
import { httpDetail, missingField } from '../http/http-detail.js';
import { isJsonObject } from '../http/json-body.js';
import { authorizeCall } from './endpoint-authorization.js';
import { refuseInvalidArguments, refuseMissingArguments } from './argument-check.js';
import { DocumentedRoute } from '../http/route-doc.js';
import { RUN_DOC } from './protocol.route-docs.js';

interface RunBody {
  data?: unknown;
  fn_index?: unknown;
  session_hash?: unknown;
  batched?: unknown;
}

/**
 * `POST /gradio_api/run/{name}` (and its old alias `/gradio_api/api/{name}`): runs the endpoint at once, outside
 * the queue, and answers the result as JSON. The JS client uses it for `queue: false` endpoints. For a generator
 * we answer the final value (Gradio answers the first one).
 */
@Controller('gradio_api')
@UseGuards(GradioAuthGuard)
export class RunController {
  constructor(
    private readonly queue: QueueService,
    private readonly registry: EndpointRegistry,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  @Post(['run/:apiName', 'api/:apiName'])
  @DocumentedRoute(RUN_DOC)
  @HttpCode(200)
  async run(
    @Param('apiName') apiName: string,
    @Body() body: RunBody | undefined,
    @Req() request: HttpRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<unknown> {
    if (!isJsonObject(body) || !Object.hasOwn(body, 'data')) throw missingField('body', 'data', body);
    const endpoint = Number.isInteger(body.fn_index)
      ? (this.registry.getById(body.fn_index as number) ?? endpointNamed(this.registry, apiName))
      : endpointNamed(this.registry, apiName);
    if (!this.options.apiOpen && endpoint.queue) {
      throw httpDetail(
        404,
        'This API endpoint does not accept direct HTTP POST requests. Please join the queue to use this API.',
      );
    }
    if (!Array.isArray(body.data)) throw httpDetail(422, 'data must be a list with one value per parameter.');
    const batched = body.batched === true && endpoint.batch;
    const samples = batched ? samplesOf(endpoint, body.data) : [body.data];
    // Bad input is the caller's to fix (422); only a failing handler is the server's (500).
    for (const sample of samples) {
      refuseMissingArguments(endpoint, sample);
      refuseInvalidArguments(endpoint, sample);
    }
    const sessionHash = typeof body.session_hash === 'string' ? body.session_hash : undefined;
    await authorizeCall(endpoint, request, response);
    const completions = await this.queue.runDirect(
      endpoint,
      samples.map((data) => ({
        sessionHash,
        data,
        simpleFormat: true,
        request: gradioRequestOf(request, this.options.rootPath),
      })),
    );
    const failure = completions.find((completion) => !completion.success);
    if (failure) throw new HttpException(failure.output, 500);
    const outputs = completions.map((completion) => completion.output as OutputPayload);
    const first = outputs[0] as OutputPayload;
    return {
      data: batched
        ? endpoint.outputs.map((_output, index) => outputs.map((output) => output.data[index]))
        : first.data,
      is_generating: false,
      duration: first.duration,
      average_duration: first.average_duration,
      render_config: null,
      changed_state_ids: [],
      used_cache: null,
    };
  }
}

/** A batched `/run` call sends one list per parameter; each index across them is one sample. */
function samplesOf(endpoint: Endpoint, columns: unknown[]): unknown[][] {
  if (!columns.every(Array.isArray) || new Set(columns.map((column) => (column as unknown[]).length)).size > 1) {
    throw httpDetail(422, 'A batched call sends one list per parameter, all of the same length.');
  }
  const count = (columns[0] as unknown[] | undefined)?.length ?? 0;
  if (count === 0) throw httpDetail(422, 'A batched call needs at least one sample.');
  if (count > endpoint.maxBatchSize) {
    throw httpDetail(
      422,
      `Batch size (${count}) exceeds the max_batch_size of /${endpoint.apiName} (${endpoint.maxBatchSize}).`,
    );
  }
  return Array.from({ length: count }, (_unused, sample) => columns.map((column) => (column as unknown[])[sample]));
}
