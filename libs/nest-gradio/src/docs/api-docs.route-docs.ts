import { detailResponse, htmlOf, jsonResponse, parameter, type RouteDoc } from '../http/route-doc.js';

// The operations of the docs' own routes in the application's OpenAPI document (see `DocumentedRoute`).

export const INFO_DOC: RouteDoc = {
  summary: "The endpoints' parameters and returns",
  description: "Gradio's API info: per named endpoint, its parameters, returns and code snippets.",
  parameters: [
    parameter(
      'all_endpoints',
      'query',
      'Any non-empty value adds the endpoints that are not public (without snippets)',
      { type: 'string' },
      false,
    ),
  ],
  responses: {
    '200': jsonResponse('The API info', {
      type: 'object',
      properties: { named_endpoints: { type: 'object' }, unnamed_endpoints: { type: 'object' } },
      required: ['named_endpoints', 'unnamed_endpoints'],
    }),
  },
};

export const GRADIO_OPENAPI_DOC: RouteDoc = {
  summary: "Gradio's OpenAPI document of the API endpoints",
  description:
    'The upload route and, per public endpoint, its call and its result stream; with `servers` set to the root URL.',
  responses: {
    '200': jsonResponse('An OpenAPI 3.0 document', {
      type: 'object',
      properties: { openapi: { type: 'string' }, paths: { type: 'object' } },
      required: ['openapi', 'paths'],
    }),
  },
};

/** The page at `/` exists only while `servePage` is on; without it the route answers as if it did not exist. */
export const PAGE_DOC: RouteDoc = (options) => {
  if (!options.servePage) return undefined;
  const dependency = options.auth.dependency !== undefined && options.auth.verify === undefined;
  return {
    summary: 'The View API page',
    description:
      'How to call the API from Python, JavaScript, cURL and MCP clients; while a password login is required and ' +
      'the browser has none, the login page.',
    responses: {
      '200': { description: 'An HTML page', content: htmlOf() },
      ...(dependency ? { '401': detailResponse('`authDependency` found no user') } : {}),
    },
  };
};

export const MONITORING_DOC: RouteDoc = (options) => ({
  summary: 'Usage of each endpoint',
  description: 'Per API name: the calls so far, the success rate and the processing time percentiles.',
  responses: options.enableMonitoring
    ? {
        '200': jsonResponse('The usage summary', {
          type: 'object',
          properties: { functions: { type: 'object' } },
          required: ['functions'],
        }),
      }
    : { '403': detailResponse('Monitoring is not enabled (`enableMonitoring`)') },
});
