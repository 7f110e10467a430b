import 'reflect-metadata';
import { GRADIO_PARAMS_METADATA } from '../kernel/gradio.constants.js';
import type { ArgOptions } from '../options/gradio-api-options.interface.js';
import { classNameOf } from '../kernel/class-name.js';

/** What a parameter decorator recorded for one position of a method's signature. */
export type ParamDeclaration =
  { kind: 'arg'; index: number; name?: string; options: ArgOptions } | { kind: 'context'; index: number };

/**
 * Names and describes an API parameter. Optional: undecorated parameters are API parameters too, named after the
 * source and typed by TypeScript's metadata. Use it for what the compiler cannot record: a description, an
 * integer or list type, a default.
 *
 * @example `slowEcho(@Arg('text') text: string, @Arg('seconds', { default: 1 }) seconds: number)`
 * @publicApi
 */
export function Arg(name?: string, options?: ArgOptions): ParameterDecorator;
export function Arg(options: ArgOptions): ParameterDecorator;
export function Arg(nameOrOptions?: string | ArgOptions, options: ArgOptions = {}): ParameterDecorator {
  const name = typeof nameOrOptions === 'string' ? nameOrOptions : undefined;
  const resolved = typeof nameOrOptions === 'object' ? nameOrOptions : options;
  return (target, propertyKey, index) =>
    declareParam(target, propertyKey, { kind: 'arg', index, name, options: { ...resolved } });
}

export function declareParam(
  target: object,
  propertyKey: string | symbol | undefined,
  declaration: ParamDeclaration,
): void {
  if (propertyKey === undefined)
    throw new Error('nest-gradio parameter decorators apply to methods, not constructors.');
  const existing: ParamDeclaration[] = Reflect.getOwnMetadata(GRADIO_PARAMS_METADATA, target, propertyKey) ?? [];
  if (existing.some((other) => other.index === declaration.index)) {
    const owner = classNameOf(target);
    throw new Error(
      `Parameter ${declaration.index + 1} of ${owner}.${String(propertyKey)} has more than one nest-gradio decorator.`,
    );
  }
  Reflect.defineMetadata(GRADIO_PARAMS_METADATA, [...existing, declaration], target, propertyKey);
}
