import { HttpException } from '@nestjs/common';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import { httpExceptionMessage } from '../kernel/http-exception.js';
import { nativeRequestOf, nativeResponseOf } from '../kernel/native-request.js';
import type { GradioRequest } from '../options/event-context.interface.js';

/**
 * Runs the endpoint's guards for the HTTP request that carries an MCP message. Answers why they refuse (their
 * exception's message), or undefined when they let the request through; an error that is not a refusal is thrown.
 */
export async function refusalOf(endpoint: Endpoint, request: GradioRequest): Promise<string | undefined> {
  const native = nativeRequestOf(request);
  try {
    await endpoint.authorize(native, nativeResponseOf(native));
    return undefined;
  } catch (error) {
    if (error instanceof HttpException) return httpExceptionMessage(error);
    throw error;
  }
}

/** The entries a listing may show the request: those whose endpoint's guards let it through. */
export async function permittedEntries<T extends { endpoint: Endpoint }>(
  entries: T[],
  request: GradioRequest,
): Promise<T[]> {
  const verdicts = await Promise.all(
    entries.map((entry) =>
      refusalOf(entry.endpoint, request).then(
        (refusal) => refusal === undefined,
        () => false,
      ),
    ),
  );
  return entries.filter((_entry, index) => verdicts[index]);
}
