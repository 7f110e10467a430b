import { SetMetadata } from '@nestjs/common';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';

/** An OpenAPI 3.0 operation, or a part of one, as plain JSON. */
export type OpenApiObject = Record<string, unknown>;

/**
 * How one of the library's routes is described in the application's OpenAPI document (`/openapi.json`, built by
 * `setupGradioDocs()`): the operation without its `operationId` and tags, which the document keeps. A function gets
 * the module's options, for routes whose answers depend on them, and returns `undefined` for a route that, with these
 * options, answers as if it did not exist (the MCP routes while the MCP server is off).
 */
export type RouteDoc = OpenApiObject | ((options: ResolvedGradioOptions) => OpenApiObject | undefined);

export const ROUTE_DOC_METADATA = 'nest-gradio:route-doc';

/**
 * Describes a route of the library for the application's OpenAPI document. Kept apart from `@nestjs/swagger`'s
 * decorators, which would make that optional package a dependency of every route.
 */
export const DocumentedRoute = (doc: RouteDoc): MethodDecorator => SetMetadata(ROUTE_DOC_METADATA, doc);

/** Gradio's (FastAPI's) error body: `{"detail": …}`, a message or a list of validation problems. */
export const DETAIL = { type: 'object', properties: { detail: {} }, required: ['detail'] };

/** Nest's own error body (`{statusCode, message, error}`), which its body parser's refusals and 404s carry. */
export const NEST_ERROR = {
  type: 'object',
  properties: { statusCode: { type: 'integer' }, message: {}, error: { type: 'string' } },
};

/** Either error body: routes answer Gradio's, the framework around them its own. */
export const ERROR_BODY = { type: 'object', properties: { ...NEST_ERROR.properties, detail: {} } };

export function jsonOf(schema: OpenApiObject, example?: unknown): OpenApiObject {
  return { 'application/json': example === undefined ? { schema } : { schema, example } };
}

export function textOf(): OpenApiObject {
  return { 'text/plain': { schema: { type: 'string' } } };
}

export function htmlOf(): OpenApiObject {
  return { 'text/html': { schema: { type: 'string' } } };
}

/** A stream of server-sent events, each described by `event` (its `data:` text, or its `event:` and `data:`). */
export function eventStreamOf(event: OpenApiObject): OpenApiObject {
  return { 'text/event-stream': { schema: event } };
}

/** A response with a JSON body. */
export function jsonResponse(description: string, schema: OpenApiObject): OpenApiObject {
  return { description, content: jsonOf(schema) };
}

/** A response with Gradio's `{"detail": …}` body. */
export function detailResponse(description: string): OpenApiObject {
  return jsonResponse(description, DETAIL);
}

/** What a JSON body that does not parse (or a body too large for the parser) gets from the adapter's parser. */
export const MALFORMED_JSON = jsonResponse('The body is not valid JSON', ERROR_BODY);

/** FastAPI's 422 for a required field that is missing, as Gradio answers it. */
export function missingFieldResponse(fields: string): OpenApiObject {
  return detailResponse(`${fields} missing: a list of the problems`);
}

/** A JSON request body. */
export function jsonBody(schema: OpenApiObject, description?: string): OpenApiObject {
  return { required: true, ...(description ? { description } : {}), content: jsonOf(schema) };
}

/** A query or path parameter. */
export function parameter(
  name: string,
  location: 'query' | 'path',
  description: string,
  schema: OpenApiObject = { type: 'string' },
  required = location === 'path',
): OpenApiObject {
  return { name, in: location, required, description, schema };
}
