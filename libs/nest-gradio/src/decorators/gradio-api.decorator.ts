import 'reflect-metadata';
import { SetMetadata } from '@nestjs/common';
import { GRADIO_API_METADATA } from '../kernel/gradio.constants.js';
import type { GradioApiOptions } from '../options/gradio-api-options.interface.js';
import { classNameOf } from '../kernel/class-name.js';

/**
 * Serves a provider method as a named Gradio API endpoint: queued with concurrency limits, callable by the Python
 * and JavaScript Gradio clients, over `/gradio_api/call/{name}` and listed in `/gradio_api/info`.
 *
 * @example
 * ```ts
 * @GradioApi({ name: 'add', description: 'Add two numbers together.' })
 * add(a: Int, b: Int): Int { return a + b; }
 * ```
 * @publicApi
 */
export function GradioApi(options: GradioApiOptions = {}): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    if (Reflect.hasOwnMetadata(GRADIO_API_METADATA, descriptor.value as object)) {
      throw new Error(`@GradioApi() is applied twice to ${classNameOf(target)}.${String(propertyKey)}.`);
    }
    return SetMetadata(GRADIO_API_METADATA, { ...options })(target, propertyKey, descriptor);
  };
}
