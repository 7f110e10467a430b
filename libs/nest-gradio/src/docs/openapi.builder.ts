import { Inject, Injectable } from '@nestjs/common';
import type { Endpoint, EndpointParameter } from '../discovery/endpoint.interface.js';
import { EndpointRegistry } from '../discovery/endpoint.registry.js';
import { API_PREFIX, GRADIO_COMPATIBLE_VERSION, GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { renderPythonType } from '../schema/python-type.renderer.js';
import { toOpenApi30 } from './openapi-schema.converter.js';
import { FILE_INPUT_SCHEMA, isFileDataSchema } from '../files/file-data.js';
import type { JsonSchema } from '../schema/json-schema.interface.js';
import { containsFileExample, exampleOf } from './snippet-examples.js';
import { UPLOAD_DOC } from '../files/files.route-docs.js';
import { DETAIL, jsonOf, NEST_ERROR } from '../http/route-doc.js';

/** An OpenAPI 3.0 document, as plain JSON. */
export type OpenApiDocument = Record<string, unknown> & {
  paths: Record<string, Record<string, Record<string, unknown>>>;
};

/**
 * `GET /gradio_api/openapi.json` (docs/protocol.md#routes): Gradio's OpenAPI 3.0.2 document of the curl protocol — the
 * upload route, then per public endpoint `POST call/v2/{name}` with its named parameters and
 * `GET call/{name}/{event_id}` for the result stream — with the same paths, operation ids and schemas as Gradio's,
 * and three fixes so that generic tooling can use it:
 * - it is valid: 3.0 schemas only (see `toOpenApi30`), and no `security` requirement naming an undeclared scheme;
 * - request schemas list `required` parameters, carry `@Arg` descriptions and defaults;
 * - `servers` holds the root URL, so paths resolve behind a proxy path too (Gradio's document has none).
 * Like Gradio 6.31, only public endpoints are described: undocumented ones stay out of every document.
 */
@Injectable()
export class OpenApiBuilder {
  private readonly byRoot = new Map<string, OpenApiDocument>();

  constructor(
    private readonly registry: EndpointRegistry,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  /** The document for a root URL (`undefined`: without `servers`, paths relative to wherever it is served). */
  build(root?: string): OpenApiDocument {
    const key = root ?? '';
    let document = this.byRoot.get(key);
    if (!document) {
      document = {
        openapi: '3.0.2',
        info: { title: this.options.title, description: '', version: GRADIO_COMPATIBLE_VERSION },
        ...(root ? { servers: [{ url: root }] } : {}),
        paths: this.paths(),
        components: { schemas: {} },
      };
      // Roots come from request headers; keep the cache small so that they cannot grow it without bound.
      if (this.byRoot.size >= 32) this.byRoot.clear();
      this.byRoot.set(key, document);
    }
    return document;
  }

  /** The operations of every public endpoint, keyed by path (for documents that merge them, like `/docs`). */
  endpointPaths(): OpenApiDocument['paths'] {
    const paths: OpenApiDocument['paths'] = {};
    for (const endpoint of this.registry.all()) {
      if (endpoint.apiVisibility !== 'public') continue;
      paths[`${API_PREFIX}/call/v2/${endpoint.apiName}`] = { post: postOperation(endpoint) };
      paths[`${API_PREFIX}/call/${endpoint.apiName}/{event_id}`] = { get: getOperation(endpoint) };
    }
    return paths;
  }

  private paths(): OpenApiDocument['paths'] {
    return { [`${API_PREFIX}/upload`]: { post: UPLOAD_DOC }, ...this.endpointPaths() };
  }
}

function postOperation(endpoint: Endpoint): Record<string, unknown> {
  const required = endpoint.parameters.filter((parameter) => !parameter.hasDefault).map((parameter) => parameter.name);
  const outputs = endpoint.outputs.map((output) => `\`${renderPythonType(output.schema)}\``);
  const summary = endpoint.description || `Endpoint /${endpoint.apiName}`;
  return {
    summary,
    description:
      `${endpoint.description ? `${endpoint.description}\n\n` : ''}` +
      `Queues a call and answers its \`event_id\`; fetch the result from ` +
      `\`GET ${API_PREFIX}/call/${endpoint.apiName}/{event_id}\`. The result is a list of ` +
      `${outputs.length} output${outputs.length === 1 ? '' : 's'}${outputs.length > 0 ? `: ${outputs.join(', ')}` : ''}.`,
    operationId: operationId(endpoint),
    ...(endpoint.deprecated ? { deprecated: true } : {}),
    requestBody: {
      required: true,
      content: jsonOf(
        {
          type: 'object',
          properties: Object.fromEntries(
            endpoint.parameters.map((parameter) => [parameter.name, propertySchema(parameter)]),
          ),
          ...(required.length > 0 ? { required } : {}),
          // Unknown names are refused (422).
          additionalProperties: false,
        },
        requestExample(endpoint),
      ),
    },
    responses: {
      '200': {
        description: 'The call is queued',
        content: jsonOf({ type: 'object', properties: { event_id: { type: 'string' } }, required: ['event_id'] }),
      },
      '400': { description: 'The body is not valid JSON', content: jsonOf(NEST_ERROR) },
      '404': { description: 'No such endpoint', content: jsonOf(DETAIL) },
      '422': { description: 'Unknown or missing arguments, or a value of the wrong type', content: jsonOf(DETAIL) },
      '503': { description: 'The queue is full', content: jsonOf(DETAIL) },
    },
  };
}

function getOperation(endpoint: Endpoint): Record<string, unknown> {
  return {
    summary: `Result stream of /${endpoint.apiName}`,
    description:
      'Server-sent events, each an `event:` line and a `data:` line: `generating` with a partial result (streaming ' +
      'endpoints), `complete` with the list of outputs, `error` with an error payload (`{"error": …}`, `null` when ' +
      'the message is hidden), and `heartbeat` while waiting.',
    operationId: `${operationId(endpoint)}_get`,
    parameters: [
      {
        name: 'event_id',
        in: 'path',
        required: true,
        schema: { type: 'string' },
        description: `The \`event_id\` answered by \`POST ${API_PREFIX}/call/v2/${endpoint.apiName}\``,
      },
    ],
    responses: {
      '200': {
        description: 'The event stream; it ends after `complete` or `error`',
        content: { 'text/event-stream': { schema: SERVER_SENT_EVENT } },
      },
    },
  };
}

/** One event of the result stream, as SSE-aware tools parse it: its `event:` name and its `data:` text. */
const SERVER_SENT_EVENT = {
  type: 'object',
  properties: {
    event: { type: 'string', enum: ['generating', 'complete', 'error', 'heartbeat'] },
    data: { type: 'string', description: 'JSON: a partial result, the list of outputs, or an error payload' },
  },
  required: ['event'],
};

function propertySchema(parameter: EndpointParameter): Record<string, unknown> {
  const schema = toOpenApi30(parameter.schema, fileInputOf);
  if (parameter.description !== undefined) schema['description'] = parameter.description;
  if (parameter.hasDefault && parameter.defaultValue !== null) schema['default'] = parameter.defaultValue;
  // null stands for "the default" (the clients send it for an argument left out).
  if (parameter.hasDefault) schema['nullable'] = true;
  return schema;
}

/** A file parameter is documented as what requests may send, not as the full object Gradio answers. */
function fileInputOf(schema: JsonSchema): JsonSchema | undefined {
  return isFileDataSchema(schema) ? FILE_INPUT_SCHEMA : undefined;
}

function operationId(endpoint: Endpoint): string {
  return endpoint.apiName.replaceAll('/', '_');
}

/**
 * A request body that works, the same values as the code snippets' — Swagger UI pre-fills "Try it out" with it.
 * None for an endpoint that takes a file: its example would name a file the server does not have.
 */
function requestExample(endpoint: Endpoint): Record<string, unknown> | undefined {
  const examples = endpoint.parameters.map((parameter) => [parameter.name, exampleOf(parameter)] as const);
  if (examples.some(([, value]) => containsFileExample(value))) return undefined;
  return Object.fromEntries(examples);
}
