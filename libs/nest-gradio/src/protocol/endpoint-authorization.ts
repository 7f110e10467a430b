import { HttpException } from '@nestjs/common';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import { httpExceptionMessage } from '../kernel/http-exception.js';
import { httpDetail } from '../http/http-detail.js';
import type { HttpResponse } from '../http/http-exchange.js';
import { reasonPhraseAt } from '../http/reason-phrase.js';

/**
 * Runs the endpoint's Nest guards for the HTTP request that asks to call it, before the event is queued. A refusal
 * keeps the guard's status (403 for a `false`, 401 from an auth guard, 429 from a throttler) and becomes Gradio's
 * `{"detail": message}` body, which the JS client shows as the error's message; the message is also the status
 * line's reason phrase, which is what the Python client shows. Headers the guard set (a throttler's `Retry-After`)
 * stay on the response. Undefined when no guard applies: most endpoints have none, and their calls then wait for
 * nothing here.
 */
export function authorizeCall(endpoint: Endpoint, request: unknown, response: unknown): Promise<void> | undefined {
  return endpoint.authorize(request, response)?.catch((error: unknown) => {
    if (!(error instanceof HttpException)) throw error;
    const message = httpExceptionMessage(error);
    if (response) reasonPhraseAt(response as HttpResponse, error.getStatus(), message);
    throw httpDetail(error.getStatus(), message);
  });
}
