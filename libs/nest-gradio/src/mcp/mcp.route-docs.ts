import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import {
  eventStreamOf,
  htmlOf,
  jsonOf,
  jsonResponse,
  NEST_ERROR,
  type OpenApiObject,
  parameter,
  type RouteDoc,
  textOf,
} from '../http/route-doc.js';

// The operations of the MCP routes in the application's OpenAPI document (see `DocumentedRoute`). While the MCP
// server is off, they answer 404 like missing routes, and are left out.

/** JSON-RPC ids and error codes are integers JavaScript holds exactly, as the MCP SDK checks. */
const SAFE_INTEGER = { type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };
const REQUEST_ID = { anyOf: [{ type: 'string' }, SAFE_INTEGER] };

/** `params` of a request or notification, with the `_meta` fields the SDK reads. */
const PARAMS = {
  type: 'object',
  properties: {
    _meta: {
      type: 'object',
      properties: {
        progressToken: REQUEST_ID,
        'io.modelcontextprotocol/related-task': {
          type: 'object',
          properties: { taskId: { type: 'string' } },
          required: ['taskId'],
        },
      },
    },
  },
};

const JSONRPC = { type: 'string', enum: ['2.0'] };

/** A JSON-RPC 2.0 message, as MCP has them: a request, a notification, or a response to the server's request. */
const MESSAGE = {
  anyOf: [
    {
      type: 'object',
      description: 'A request',
      properties: { jsonrpc: JSONRPC, id: REQUEST_ID, method: { type: 'string' }, params: PARAMS },
      required: ['jsonrpc', 'id', 'method'],
      additionalProperties: false,
    },
    {
      type: 'object',
      description: 'A notification',
      properties: { jsonrpc: JSONRPC, method: { type: 'string' }, params: PARAMS },
      required: ['jsonrpc', 'method'],
      additionalProperties: false,
    },
    {
      type: 'object',
      description: 'A result',
      properties: {
        jsonrpc: JSONRPC,
        id: REQUEST_ID,
        result: { type: 'object', properties: { _meta: PARAMS.properties._meta } },
      },
      required: ['jsonrpc', 'id', 'result'],
      additionalProperties: false,
    },
    {
      type: 'object',
      description: 'An error',
      properties: {
        jsonrpc: JSONRPC,
        id: REQUEST_ID,
        error: {
          type: 'object',
          properties: { code: SAFE_INTEGER, message: { type: 'string' }, data: {} },
          required: ['code', 'message'],
        },
      },
      required: ['jsonrpc', 'error'],
      additionalProperties: false,
    },
  ],
};

const MESSAGES = {
  required: true,
  content: jsonOf({ anyOf: [MESSAGE, { type: 'array', items: MESSAGE, minItems: 1, description: 'A batch' }] }),
};

/** A JSON-RPC error answered over HTTP by the transport. */
const JSONRPC_ERROR = {
  type: 'object',
  properties: { jsonrpc: JSONRPC, error: { type: 'object' }, id: {} },
  required: ['jsonrpc', 'error'],
};

/** The DNS-rebinding protection of every MCP route. */
const REFUSED_HOST = jsonResponse(
  'A Host or Origin the app does not know (DNS rebinding protection; `mcp.allowedHosts`, `mcp.allowedOrigins`)',
  NEST_ERROR,
);

/** One SSE event of a JSON-RPC stream: `event: message` with one message per `data:` line. */
const MESSAGE_EVENT = {
  type: 'object',
  properties: { event: { type: 'string' }, data: { type: 'string', description: 'A JSON-RPC message' } },
  required: ['data'],
};

function whenOn(doc: (options: ResolvedGradioOptions) => OpenApiObject): RouteDoc {
  return (options) => (options.mcpServer ? doc(options) : undefined);
}

function stateful(options: ResolvedGradioOptions): boolean {
  return options.mcp.sessions === 'stateful';
}

export const MCP_POST_DOC: RouteDoc = whenOn((options) => ({
  summary: 'MCP: send messages (streamable HTTP transport)',
  description:
    'JSON-RPC messages of the Model Context Protocol (`initialize`, `tools/list`, `tools/call`, …). Requests are ' +
    'answered as server-sent events: progress notifications, then the result. ' +
    (stateful(options)
      ? 'Sessions are on: `initialize` opens one, named by the `Mcp-Session-Id` header of the answer, which later ' +
        'requests send back.'
      : 'Stateless: every request stands alone.'),
  requestBody: MESSAGES,
  responses: {
    '200': { description: 'The answers, as server-sent events', content: eventStreamOf(MESSAGE_EVENT) },
    '202': { description: 'Only notifications or responses were sent: accepted, nothing to answer' },
    '400': jsonResponse(
      "Not valid JSON (the body parser's error), or not JSON-RPC messages, or an empty batch" +
        (stateful(options) ? ', or a request other than `initialize` without a session' : ''),
      { anyOf: [JSONRPC_ERROR, NEST_ERROR] },
    ),
    '403': REFUSED_HOST,
    ...(stateful(options) ? { '404': jsonResponse('No session has this id', JSONRPC_ERROR) } : {}),
    '406': jsonResponse('The `Accept` header names neither `text/event-stream` nor `*/*`', JSONRPC_ERROR),
    '415': jsonResponse('The body is not JSON', JSONRPC_ERROR),
  },
}));

export const MCP_GET_DOC: RouteDoc = whenOn((options) => ({
  summary: 'MCP: landing page, or the stream of a session',
  description:
    'A browser (an `Accept` header without `text/event-stream`) gets a page that lists the tools, resources and ' +
    'prompts and says how to connect. ' +
    (stateful(options)
      ? 'An MCP client with a session gets its stream of server messages (resumable with `Last-Event-ID`).'
      : 'An MCP client gets 405: a stateless server has no stream of its own.'),
  responses: {
    '200': {
      description: 'The landing page' + (stateful(options) ? ", or the session's stream" : ''),
      content: { ...htmlOf(), ...(stateful(options) ? eventStreamOf(MESSAGE_EVENT) : {}) },
    },
    ...(stateful(options)
      ? {
          '400': jsonResponse('No `Mcp-Session-Id` header', JSONRPC_ERROR),
          '404': jsonResponse('No session has this id', JSONRPC_ERROR),
        }
      : { '405': jsonResponse('A stream was asked for: stateless', JSONRPC_ERROR) }),
    '403': REFUSED_HOST,
  },
}));

/** Only with sessions: a stateless server refuses DELETE (405), as a method it does not take. */
export const MCP_DELETE_DOC: RouteDoc = (options) =>
  options.mcpServer && stateful(options)
    ? {
        summary: 'MCP: end a session',
        responses: {
          '200': { description: 'The session is closed' },
          '400': jsonResponse('No `Mcp-Session-Id` header', JSONRPC_ERROR),
          '403': REFUSED_HOST,
          '404': jsonResponse('No session has this id', JSONRPC_ERROR),
        },
      }
    : undefined;

export const MCP_SSE_DOC: RouteDoc = whenOn(() => ({
  summary: 'MCP: open a session (legacy HTTP+SSE transport)',
  description:
    'An endless stream: its first event (`endpoint`) names the URL to POST messages to; the answers arrive as ' +
    '`message` events. Comment lines keep it alive.',
  responses: {
    '200': { description: "The session's stream", content: eventStreamOf(MESSAGE_EVENT) },
    '403': REFUSED_HOST,
    '503': jsonResponse('The server is shutting down', NEST_ERROR),
  },
}));

export const MCP_MESSAGES_DOC: RouteDoc = whenOn(() => ({
  summary: 'MCP: send a message to a session (legacy HTTP+SSE transport)',
  description: "The answer arrives on the session's stream (`GET /gradio_api/mcp/sse`).",
  parameters: [
    parameter(
      'sessionId',
      'query',
      "The session, from the stream's `endpoint` event",
      { type: 'string', minLength: 1 },
      true,
    ),
  ],
  requestBody: { required: true, content: jsonOf(MESSAGE) },
  responses: {
    '202': { description: 'Accepted', content: textOf() },
    '400': {
      description: "No `sessionId`, a body that is not valid JSON (the body parser's error), or not a JSON-RPC message",
      content: { ...textOf(), ...jsonOf(NEST_ERROR) },
    },
    '403': REFUSED_HOST,
    '404': { description: 'No open session has this id', content: textOf() },
  },
}));

export const MCP_SCHEMA_DOC: RouteDoc = whenOn(() => ({
  summary: 'MCP: the tools and their input schemas',
  parameters: [parameter('tools', 'query', 'Only these tools (names separated by commas)', { type: 'string' }, false)],
  responses: {
    '200': jsonResponse('One entry per tool', { type: 'array', items: { type: 'object' } }),
    '403': REFUSED_HOST,
  },
}));

const NOT_AN_AUTHORIZATION_SERVER = jsonResponse(
  'MCP clients probe here before connecting; the 404 tells them this server is not an OAuth authorization server',
  NEST_ERROR,
);

export const PROTECTED_RESOURCE_DOC: RouteDoc = (options) => ({
  summary: 'OAuth protected-resource metadata (RFC 9728)',
  description: 'With the `mcp.oauth` option, names the authorization servers that issue tokens for the MCP server.',
  parameters: [parameter('path', 'path', 'The path of the resource: the MCP URL path')],
  responses: {
    ...(options.mcpServer && options.mcp.oauth
      ? {
          '200': jsonResponse('The metadata', {
            type: 'object',
            properties: { resource: { type: 'string' }, authorization_servers: { type: 'array' } },
            required: ['resource'],
          }),
        }
      : {}),
    '404': jsonResponse('No OAuth for this resource', NEST_ERROR),
  },
});

export const OAUTH_PROBE_DOC: RouteDoc = {
  summary: 'OAuth authorization-server discovery (not served)',
  parameters: [parameter('path', 'path', 'Any issuer path')],
  responses: { '404': NOT_AN_AUTHORIZATION_SERVER },
};
