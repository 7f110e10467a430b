import { EndpointRegistry } from '../discovery/endpoint.registry.js';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import { createEndpoint } from '../discovery/endpoint.factory.js';
import { GRADIO_API_METADATA } from '../gradio.constants.js';
import type { GradioApiOptions } from '../interfaces/gradio-api-options.interface.js';

/**
 * Builds the endpoints of a decorated instance as the explorer would, for unit specs that exercise the queue
 * without HTTP. Not part of the public API.
 */
export function registryOf(...instances: object[]): EndpointRegistry {
  const registry = new EndpointRegistry();
  for (const instance of instances) {
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const methodName of Object.getOwnPropertyNames(prototype)) {
      const method = prototype[methodName];
      if (typeof method !== 'function') continue;
      const options = Reflect.getMetadata(GRADIO_API_METADATA, method) as GradioApiOptions | undefined;
      if (!options) continue;
      registry.register(
        createEndpoint(instance, methodName, options, {
          id: registry.nextId(),
          takenNames: registry.takenNames(),
          defaultConcurrencyLimit: 1,
        }),
      );
    }
  }
  return registry;
}

export function endpointNamed(registry: EndpointRegistry, name: string): Endpoint {
  const endpoint = registry.getByName(name);
  if (!endpoint) throw new Error(`No endpoint ${name}`);
  return endpoint;
}
