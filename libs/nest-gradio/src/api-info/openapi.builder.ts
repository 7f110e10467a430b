import { Inject, Injectable } from '@nestjs/common';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import { EndpointRegistry } from '../discovery/endpoint.registry.js';
import { API_PREFIX, GRADIO_COMPATIBLE_VERSION, GRADIO_MODULE_OPTIONS } from '../gradio.constants.js';
import type { ResolvedGradioOptions } from '../interfaces/gradio-module-options.interface.js';
import type { JsonSchema } from '../schema/json-schema.interface.js';

/**
 * `GET /gradio_api/openapi.json` (reference §2.4): an OpenAPI 3.0 document of the curl protocol — one
 * `POST call/v2/{name}` with the named parameters and one `GET call/{name}/{event_id}` event stream per
 * non-private endpoint, plus the upload route.
 */
@Injectable()
export class OpenApiBuilder {
  private document: Record<string, unknown> | undefined;

  constructor(
    private readonly registry: EndpointRegistry,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  build(): Record<string, unknown> {
    return (this.document ??= {
      openapi: '3.0.2',
      info: { title: this.options.title, description: '', version: GRADIO_COMPATIBLE_VERSION },
      paths: this.paths(),
      components: { schemas: {} },
    });
  }

  private paths(): Record<string, unknown> {
    const paths: Record<string, unknown> = {
      [`${API_PREFIX}/upload`]: {
        post: {
          operationId: 'upload',
          summary: 'Upload files',
          parameters: [{ name: 'upload_id', in: 'query', required: false, schema: { type: 'string' } }],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } } },
                  required: ['files'],
                },
              },
            },
          },
          responses: {
            '200': { description: 'Server paths of the uploaded files', content: jsonOf({ type: 'array', items: { type: 'string' } }) },
            '400': { description: 'Invalid upload' },
            '413': { description: 'File too large' },
          },
        },
      },
    };
    for (const endpoint of this.registry.all()) {
      if (endpoint.apiVisibility === 'private') continue;
      paths[`${API_PREFIX}/call/v2/${endpoint.apiName}`] = { post: postOperation(endpoint) };
      paths[`${API_PREFIX}/call/${endpoint.apiName}/{event_id}`] = { get: getOperation(endpoint) };
    }
    return paths;
  }
}

function postOperation(endpoint: Endpoint): Record<string, unknown> {
  const properties = Object.fromEntries(endpoint.parameters.map((parameter) => [parameter.name, toOpenApi30(parameter.schema)]));
  const required = endpoint.parameters.filter((parameter) => !parameter.hasDefault).map((parameter) => parameter.name);
  const outputs = endpoint.outputs.length;
  return {
    operationId: endpoint.apiName.replaceAll('/', '_'),
    summary: endpoint.description || `Endpoint /${endpoint.apiName}`,
    description:
      `${endpoint.description ? `${endpoint.description}\n\n` : ''}` +
      `Output must be fetched from GET ${API_PREFIX}/call/${endpoint.apiName}/{event_id}. ` +
      `Returns an array of ${outputs} element${outputs === 1 ? '' : 's'}.`,
    requestBody: {
      required: true,
      content: jsonOf({ type: 'object', properties, ...(required.length > 0 ? { required } : {}) }),
    },
    responses: {
      '200': {
        description: 'The event was queued',
        content: jsonOf({ type: 'object', properties: { event_id: { type: 'string' } }, required: ['event_id'] }),
      },
    },
  };
}

function getOperation(endpoint: Endpoint): Record<string, unknown> {
  return {
    operationId: `${endpoint.apiName.replaceAll('/', '_')}_get`,
    summary: `Stream the result of /${endpoint.apiName}`,
    parameters: [{ name: 'event_id', in: 'path', required: true, schema: { type: 'string' } }],
    responses: {
      '200': {
        description: 'Server-sent events: `generating`, `complete`, `error` and `heartbeat`',
        content: { 'text/event-stream': { schema: { type: 'string' } } },
      },
    },
  };
}

function jsonOf(schema: Record<string, unknown>): Record<string, unknown> {
  return { 'application/json': { schema } };
}

/**
 * OpenAPI 3.0 predates JSON Schema's `const`, `prefixItems` and `type: "null"`; express them with the 3.0
 * vocabulary (`enum`, `items`, `nullable`).
 */
export function toOpenApi30(schema: JsonSchema | boolean): Record<string, unknown> {
  if (typeof schema === 'boolean') return {};
  const result: Record<string, unknown> = { ...schema };
  if ('const' in schema) {
    delete result['const'];
    result['enum'] = [schema.const];
  }
  if (schema.prefixItems) {
    delete result['prefixItems'];
    result['items'] = schema.prefixItems.length > 0 ? { anyOf: schema.prefixItems.map(toOpenApi30) } : {};
  } else if (schema.items !== undefined) {
    result['items'] = toOpenApi30(schema.items);
  }
  if (schema.type === 'array' && result['items'] === undefined) result['items'] = {};
  if (schema.properties) {
    result['properties'] = Object.fromEntries(Object.entries(schema.properties).map(([key, value]) => [key, toOpenApi30(value)]));
  }
  if (schema.additionalProperties !== undefined && typeof schema.additionalProperties === 'object') {
    result['additionalProperties'] = toOpenApi30(schema.additionalProperties);
  }
  for (const keyword of ['oneOf', 'anyOf', 'allOf'] as const) {
    const members = schema[keyword];
    if (!members) continue;
    const nonNull = members.filter((member) => member.type !== 'null');
    if (nonNull.length < members.length) result['nullable'] = true;
    if (nonNull.length === 1 && keyword !== 'allOf') {
      delete result[keyword];
      Object.assign(result, toOpenApi30(nonNull[0] as JsonSchema), result['nullable'] ? { nullable: true } : {});
    } else {
      result[keyword] = nonNull.map(toOpenApi30);
    }
  }
  if (schema.type === 'null') {
    delete result['type'];
    result['nullable'] = true;
  }
  return result;
}
