import { HttpException } from '@nestjs/common';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import { httpExceptionMessage } from '../kernel/http-exception.js';
import { httpDetail } from '../http/http-detail.js';

/**
 * Runs the endpoint's Nest guards for the HTTP request that asks to call it, before the event is queued. A refusal
 * keeps the guard's status (403 for a `false`, 401 from an auth guard, 429 from a throttler) and becomes Gradio's
 * `{"detail": message}` body, which both clients show as the error's message. Headers the guard set (a throttler's
 * `Retry-After`) stay on the response.
 */
export async function authorizeCall(endpoint: Endpoint, request: unknown, response: unknown): Promise<void> {
  try {
    await endpoint.authorize(request, response);
  } catch (error) {
    if (error instanceof HttpException) throw httpDetail(error.getStatus(), httpExceptionMessage(error));
    throw error;
  }
}
