import { HttpException, HttpStatus } from '@nestjs/common';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import type { GuardPurpose } from '../discovery/listing-check.js';
import { httpExceptionMessage } from '../kernel/http-exception.js';
import { nativeRequestOf, nativeResponseOf } from '../kernel/native-request.js';
import type { GradioRequest } from '../options/event-context.interface.js';

/** Why an endpoint's guards refused a request: their exception's status and message. */
export interface GuardRefusal {
  status: number;
  message: string;
}

/**
 * Runs the endpoint's guards for the adapter's request (and its response, where a guard sets headers) that carries
 * an MCP message. Resolves to why they refuse, or to undefined when they let the request through; an error that is
 * not a refusal rejects. Undefined at once when no guard applies (nothing to wait for).
 */
export function guardRefusalOf(
  endpoint: Endpoint,
  native: unknown,
  purpose: GuardPurpose = 'call',
): Promise<GuardRefusal | undefined> | undefined {
  return endpoint.authorize(native, nativeResponseOf(native), purpose)?.then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof HttpException) return { status: error.getStatus(), message: httpExceptionMessage(error) };
      throw error;
    },
  );
}

/** {@link guardRefusalOf} for the request a handler sees: the refusal's message, or undefined. */
export async function refusalOf(endpoint: Endpoint, request: GradioRequest): Promise<string | undefined> {
  return (await guardRefusalOf(endpoint, nativeRequestOf(request)))?.message;
}

/**
 * The entries a listing may show the request: those whose endpoint's guards let it through. A rate limit (429) does
 * not hide an entry: the caller may use it, just not now.
 */
export async function permittedEntries<T extends { endpoint: Endpoint }>(
  entries: T[],
  request: GradioRequest,
): Promise<T[]> {
  const native = nativeRequestOf(request);
  const verdicts = await Promise.all(
    entries.map((entry) =>
      Promise.resolve(guardRefusalOf(entry.endpoint, native, 'listing')).then(
        (refusal) => refusal === undefined || refusal.status === HttpStatus.TOO_MANY_REQUESTS,
        () => false,
      ),
    ),
  );
  return entries.filter((_entry, index) => verdicts[index]);
}
