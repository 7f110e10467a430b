import type { Endpoint } from '../discovery/endpoint.interface.js';
import type { EndpointRegistry } from '../discovery/endpoint.registry.js';
import { unknownEndpointMessage } from '../kernel/gradio.messages.js';
import { httpDetail } from './http-detail.js';

/** Finds an endpoint by API name, or fails with 404 (Gradio answers 500; no client depends on it). */
export function endpointNamed(registry: EndpointRegistry, apiName: string): Endpoint {
  const endpoint = registry.getByName(apiName);
  if (endpoint) return endpoint;
  const known = registry
    .all()
    .filter((candidate) => candidate.apiVisibility === 'public')
    .map((candidate) => candidate.apiName);
  throw httpDetail(404, unknownEndpointMessage(apiName, known));
}
