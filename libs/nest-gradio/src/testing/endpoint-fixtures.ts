import { EndpointRegistry } from '../discovery/endpoint.registry.js';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import { createEndpoint } from '../discovery/endpoint.factory.js';
import { GradioMetadataAccessor } from '../discovery/gradio-metadata.accessor.js';

/**
 * Builds the endpoints of a decorated instance as the explorer would, for unit specs that exercise the queue
 * without HTTP. Not part of the public API.
 */
export function registryOf(...instances: object[]): EndpointRegistry {
  const registry = new EndpointRegistry();
  const metadata = new GradioMetadataAccessor();
  for (const instance of instances) {
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const methodName of Object.getOwnPropertyNames(prototype)) {
      const method = prototype[methodName];
      if (typeof method !== 'function') continue;
      const options = metadata.apiOptions(method);
      if (!options) continue;
      registry.register(
        createEndpoint(instance, methodName, options, {
          id: registry.nextId(),
          takenNames: registry.takenNames(),
          defaultConcurrencyLimit: 1,
          metadata,
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
