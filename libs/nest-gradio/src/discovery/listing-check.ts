import type { ExecutionContext } from '@nestjs/common';
import { GRADIO_CONTEXT_TYPE } from '../kernel/gradio.constants.js';

/** The argument lists of guard runs that only decide what an MCP listing shows. */
const listingArguments = new WeakSet<object>();

/** Why a method's guards run: for a call of it, or to decide whether an MCP listing shows it. */
export type GuardPurpose = 'call' | 'listing';

/**
 * The method arguments (the context's third argument, empty before a call) that a guard sees when it runs for
 * {@link purpose}: a listing's are marked, so that {@link isMcpListing} can tell.
 */
export function guardArguments(purpose: GuardPurpose): unknown[] {
  const args: unknown[] = [];
  if (purpose === 'listing') listingArguments.add(args);
  return args;
}

/**
 * Whether a guard runs only to decide if an MCP listing (`tools/list`, `resources/list`, `prompts/list`) shows the
 * method to the caller: nothing is called. A guard with a cost per call, such as a rate limiter, should let it
 * through without counting it — `ThrottlerModule.forRoot({ throttlers, skipIf: isMcpListing })` — or every listing
 * would spend one call of each limited tool's budget.
 *
 * @publicApi
 */
export function isMcpListing(context: ExecutionContext): boolean {
  if (context.getType<string>() !== GRADIO_CONTEXT_TYPE) return false;
  const args = context.getArgByIndex<unknown>(2);
  return typeof args === 'object' && args !== null && listingArguments.has(args);
}
