import type { OpenApiObject, RouteDoc } from '../http/route-doc.js';
import { detailResponse } from '../http/route-doc.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import type { OpenApiDocument } from './openapi.builder.js';

/** Tag of Gradio's own routes (`/config`, the queue, `/call`, `/run`, uploads…) in the document. */
export const GRADIO_PROTOCOL_TAG = 'Gradio protocol';
/** Tag of the per-endpoint operations (`POST /gradio_api/call/v2/<name>` and its result stream). */
export const GRADIO_ENDPOINTS_TAG = 'Gradio API';

/** One route handler of the library's controllers, as the document needs it. */
export interface GradioRouteHandler {
  /** `@nestjs/swagger`'s default operation id: `<Controller>_<method>` (`[i]` appended per path when several). */
  operationId: string;
  /** Its description (`DocumentedRoute`). */
  doc: RouteDoc | undefined;
  /** Whether `GradioAuthGuard` asks for a login on it: 401 without one, when the app requires a login. */
  loginRequired: boolean;
}

/** Routes that are not an API: the markers that order Gradio's routes, the View API page's own assets. */
const INTERNAL_PATHS = /__nest_gradio_routes_|^\/gradio_api\/view_api\//;

const LOGIN_REQUIRED = detailResponse(
  'A login is required: `{"detail": {"error": "Not authenticated", "auth_message": …}}`',
);

/**
 * Completes the application's OpenAPI document that `@nestjs/swagger` built from the routes: each of Gradio's routes
 * gets the operation it declares (`DocumentedRoute`) — its parameters, body and every answer — in place of the
 * bare one read from its handler, and the "Gradio protocol" tag; a route whose declaration leaves it out with these
 * options, and the internal ones, are dropped; and each public endpoint gets its own documented
 * `call/v2/<name>` operation next to the generic route (from the same model as `/gradio_api/openapi.json`).
 *
 * @param gradioPaths the paths of the document that are Gradio's routes (built from the library's modules only).
 */
export function completeAppDocument(
  document: OpenApiDocument,
  gradioPaths: OpenApiDocument['paths'],
  handlers: readonly GradioRouteHandler[],
  endpointPaths: OpenApiDocument['paths'],
  options: ResolvedGradioOptions,
): void {
  const byOperationId = new Map(handlers.map((handler) => [handler.operationId, handler]));
  const loginEnabled = options.auth.verify !== undefined || options.auth.dependency !== undefined;
  for (const [path, item] of Object.entries(gradioPaths)) {
    const documented = document.paths[path];
    if (!documented) continue;
    if (INTERNAL_PATHS.test(path)) {
      delete document.paths[path];
      continue;
    }
    for (const method of Object.keys(item)) {
      const operation = documented[method];
      if (!operation) continue;
      const operationId = String(operation['operationId'] ?? '');
      const handler = byOperationId.get(operationId.replace(/\[\d+\]$/, ''));
      const declared = handler?.doc === undefined ? operation : resolve(handler.doc, options);
      if (declared === undefined) {
        delete documented[method];
        continue;
      }
      const responses = { ...(declared['responses'] as OpenApiObject | undefined) };
      if (handler?.loginRequired && loginEnabled) responses['401'] ??= LOGIN_REQUIRED;
      documented[method] = {
        ...declared,
        operationId,
        tags: [GRADIO_PROTOCOL_TAG],
        parameters: parametersFor(path, declared['parameters']),
        responses,
      };
    }
    if (Object.keys(documented).length === 0) delete document.paths[path];
  }
  for (const [path, item] of Object.entries(endpointPaths)) {
    const operations = Object.fromEntries(
      Object.entries(item).map(([method, operation]) => [method, { ...operation, tags: [GRADIO_ENDPOINTS_TAG] }]),
    );
    document.paths[path] = { ...document.paths[path], ...operations };
  }
}

function resolve(doc: RouteDoc, options: ResolvedGradioOptions): OpenApiObject | undefined {
  return typeof doc === 'function' ? doc(options) : doc;
}

/**
 * The declared parameters that fit the path: one declaration serves every path of a handler (`/x` and `/x/{path}`),
 * so a path parameter that this path lacks is dropped, and one it has but the declaration lacks is added as a string.
 */
function parametersFor(path: string, declared: unknown): OpenApiObject[] {
  const inPath = new Set([...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string));
  const parameters = ((declared as OpenApiObject[] | undefined) ?? []).filter(
    (parameter) => parameter['in'] !== 'path' || inPath.has(String(parameter['name'])),
  );
  for (const name of inPath) {
    if (!parameters.some((parameter) => parameter['in'] === 'path' && parameter['name'] === name)) {
      parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
    }
  }
  return parameters;
}
