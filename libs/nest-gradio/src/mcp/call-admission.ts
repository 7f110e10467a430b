import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { mcpRateLimitedMessage } from '../kernel/gradio.messages.js';
import { type HttpRequest, type HttpResponse, responseHeaderOf } from '../http/http-exchange.js';
import { isJsonObject } from '../http/json-body.js';
import { reasonPhraseAt } from '../http/reason-phrase.js';
import { recordAdmission } from './admitted-calls.js';
import { guardRefusalOf } from './mcp-authorization.js';
import { McpCatalog } from './mcp-catalog.service.js';
import { selectionOf } from './mcp-connection.js';

type RequestId = string | number;

/** MCP's JSON-RPC code for a server-defined error: the refusal is the server's policy, not a malformed request. */
const RATE_LIMITED_CODE = -32000;

/**
 * Runs the guards of every `tools/call` in an MCP POST before the transport answers it (docs/mcp.md#rate-limits).
 * Once the transport has begun its answer, the status is 200 and a refusal can only be an `isError` result; run
 * first, a rate limit (a guard's 429, as `@nestjs/throttler` throws it) answers the whole POST with 429, the guard's
 * `Retry-After` and a JSON-RPC error per request, which clients and gateways know to back off from. Other refusals
 * stay `isError` results, as before. Each call's guards run once: the handler takes the verdict recorded here.
 */
@Injectable()
export class McpCallAdmission {
  constructor(private readonly catalog: McpCatalog) {}

  /** Throws the 429 answer when a guard rate-limited one of the body's tool calls. */
  async admit(request: HttpRequest, response: HttpResponse, body: unknown): Promise<void> {
    const messages = Array.isArray(body) ? body : [body];
    const selection = selectionOf(request);
    for (const message of messages) {
      const call = toolCallOf(message);
      const tool = call && this.catalog.tool(call.name, selection);
      if (!call || !tool) continue;
      const verdict = guardRefusalOf(tool.endpoint, request);
      // Unguarded: nothing to record, the handler finds nothing to wait for either.
      if (!verdict) continue;
      recordAdmission(request, call.id, verdict);
      // A guard's own error is the handler's to report, as it would be without this step.
      const refusal = await verdict.catch(() => undefined);
      if (refusal?.status === HttpStatus.TOO_MANY_REQUESTS) {
        throw this.rateLimited(messages, response, call.name, refusal.message);
      }
    }
  }

  private rateLimited(messages: unknown[], response: HttpResponse, tool: string, detail: string): HttpException {
    const retryAfter = retryAfterOf(response);
    const message = mcpRateLimitedMessage(tool, detail, retryAfter);
    const error = { code: RATE_LIMITED_CODE, message, data: { status: HttpStatus.TOO_MANY_REQUESTS, retryAfter } };
    // Every request of the POST is refused with it: none of them runs.
    const answers = messages
      .filter((candidate) => isJsonObject(candidate) && isRequestId(candidate['id']))
      .map((candidate) => ({ jsonrpc: '2.0', id: (candidate as { id: RequestId }).id, error }));
    reasonPhraseAt(response, HttpStatus.TOO_MANY_REQUESTS, detail);
    return new HttpException(answers.length === 1 ? answers[0]! : answers, HttpStatus.TOO_MANY_REQUESTS);
  }
}

function toolCallOf(message: unknown): { id: RequestId; name: string } | undefined {
  if (!isJsonObject(message) || message['method'] !== 'tools/call' || !isRequestId(message['id'])) return undefined;
  const params = message['params'];
  const name = isJsonObject(params) ? params['name'] : undefined;
  return typeof name === 'string' ? { id: message['id'], name } : undefined;
}

function isRequestId(id: unknown): id is RequestId {
  return typeof id === 'string' || typeof id === 'number';
}

/** The seconds of the `Retry-After` a guard set, if any (a named throttler's own `Retry-After-<name>` is not read). */
function retryAfterOf(response: HttpResponse): number | undefined {
  const seconds = Number(responseHeaderOf(response, 'retry-after'));
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
