import { declareParam } from './arg.decorator.js';

/**
 * Injects the {@link EventContext} of the running event: progress, alerts, the request, the session hash, the event
 * id and an AbortSignal. The parameter is not an API parameter.
 *
 * @example `async *stream(text: string, @Ctx() ctx: EventContext) { ctx.progress(1, text.length); … }`
 * @publicApi
 */
export function Ctx(): ParameterDecorator {
  return (target, propertyKey, index) => declareParam(target, propertyKey, { kind: 'context', index });
}
