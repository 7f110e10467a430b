import {
  detailResponse,
  ERROR_BODY,
  eventStreamOf,
  jsonBody,
  jsonResponse,
  MALFORMED_JSON,
  missingFieldResponse,
  parameter,
  type RouteDoc,
} from '../http/route-doc.js';

// The operations of Gradio's protocol routes in the application's OpenAPI document (see `DocumentedRoute`). Each
// says what the route answers, and requests it as strictly as the route checks them: no more (a request the
// document allows is served, or refused only for a resource that does not exist) and no less (one it forbids is
// refused). Fields that the route reads loosely, as Gradio does, stay untyped.

const EVENT_ID = { type: 'object', properties: { event_id: { type: 'string' } }, required: ['event_id'] };
const SUCCESS = { type: 'object', properties: { success: { type: 'boolean', enum: [true] } }, required: ['success'] };

/** One event of an SSE stream whose events carry only `data:` lines. */
const DATA_EVENT = {
  type: 'object',
  properties: { data: { type: 'string' } },
  required: ['data'],
};

/** An endpoint id: an integer, or a string of digits (read as one, as FastAPI does). */
const FN_INDEX = { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^[0-9]+$' }] };

const API_NAME = parameter('apiName', 'path', "The endpoint's API name, without the leading slash");
const EVENT_ID_PATH = parameter('eventId', 'path', 'The `event_id` answered when the call was queued');

const CALL_REFUSALS = {
  '403': detailResponse('A guard of the endpoint refused the call'),
  '404': detailResponse('No endpoint has this name'),
  '503': detailResponse('The queue is full, or the server is shutting down'),
};

export const CONFIG_DOC: RouteDoc = {
  summary: "The app's configuration",
  description:
    'What both Gradio clients read first: the protocol, the endpoints (`dependencies`, whose `id` is the ' +
    '`fn_index` of the queue protocol) and their components.',
  responses: {
    '200': jsonResponse('The configuration', {
      type: 'object',
      properties: { protocol: { type: 'string' }, dependencies: { type: 'array', items: { type: 'object' } } },
      required: ['protocol', 'dependencies'],
    }),
  },
};

export const QUEUE_JOIN_DOC: RouteDoc = {
  summary: 'Queue a call (queue protocol)',
  description:
    'Queues a call of the endpoint `fn_index` with one value per parameter in `data`. Its messages arrive on ' +
    '`GET /gradio_api/queue/data` with the same `session_hash`.',
  requestBody: jsonBody({
    type: 'object',
    properties: {
      data: { type: 'array', items: {}, description: 'One value per parameter, in order' },
      fn_index: { ...FN_INDEX, description: "The endpoint's id (`dependencies[].id` in `/config`)" },
      session_hash: { type: 'string', minLength: 1, description: "The client's session, chosen by the client" },
      simple_format: { description: '`true` asks for outputs as plain values, as `call/` answers them' },
    },
    required: ['data', 'fn_index', 'session_hash'],
  }),
  responses: {
    '200': jsonResponse('The call is queued', EVENT_ID),
    '400': jsonResponse('No session hash or no function index, or a body that is not valid JSON', ERROR_BODY),
    ...CALL_REFUSALS,
    '404': detailResponse('No endpoint has this `fn_index`'),
    '422': missingFieldResponse('`data`, or `data` that is not a list'),
  },
};

export const QUEUE_DATA_DOC: RouteDoc = {
  summary: "A session's messages (queue protocol)",
  description:
    'Server-sent events, one JSON message per `data:` line (`estimation`, `process_starts`, `progress`, ' +
    '`process_generating`, `process_completed`, `heartbeat`, …), until the session has no pending call: then ' +
    '`close_stream`. A session without calls gets an `unexpected_error` message with `session_not_found` at once.',
  parameters: [parameter('session_hash', 'query', 'The session', { type: 'string', minLength: 1 }, true)],
  responses: {
    '200': { description: "The session's messages", content: eventStreamOf(DATA_EVENT) },
    '422': missingFieldResponse('`session_hash`'),
  },
};

export const QUEUE_STATUS_DOC: RouteDoc = {
  summary: 'The length of the queue',
  responses: {
    '200': jsonResponse('An `estimation` message with the number of waiting calls', {
      type: 'object',
      properties: { msg: { type: 'string', enum: ['estimation'] }, queue_size: { type: 'integer' } },
      required: ['msg', 'queue_size'],
    }),
  },
};

export const CANCEL_DOC: RouteDoc = {
  summary: 'Cancel a call',
  description:
    'Cancels the event `event_id` of the session `session_hash` (waiting: it never runs; running: its handler is ' +
    'aborted). An unknown event is not an error.',
  requestBody: jsonBody({
    type: 'object',
    properties: {
      session_hash: { type: 'string', minLength: 1, description: 'The session of the event' },
      event_id: { type: 'string', minLength: 1, description: 'The event' },
      fn_index: { ...FN_INDEX, description: "The event's endpoint id (not used)" },
    },
    required: ['session_hash', 'fn_index', 'event_id'],
  }),
  responses: {
    '200': jsonResponse('Done (or nothing to cancel)', SUCCESS),
    '400': MALFORMED_JSON,
    '422': detailResponse('A field missing or of the wrong type: a list of the problems'),
  },
};

export const RESET_DOC: RouteDoc = {
  summary: 'Reset after a cancel (kept for old clients)',
  requestBody: jsonBody({
    type: 'object',
    properties: { event_id: { type: 'string', minLength: 1, description: 'The cancelled event' } },
    required: ['event_id'],
  }),
  responses: {
    '200': jsonResponse('Done', SUCCESS),
    '400': MALFORMED_JSON,
    '422': detailResponse('`event_id` missing or not a string: a list of the problems'),
  },
};

export const CALL_NAMED_DOC: RouteDoc = {
  summary: 'Queue a call with named arguments (call protocol)',
  description:
    'Queues a call of the endpoint `apiName` with its arguments by name (each endpoint has its own operation ' +
    'below, with its parameters). Stream the result from `GET /gradio_api/call/{apiName}/{eventId}`.',
  parameters: [API_NAME],
  requestBody: jsonBody({ type: 'object', description: 'The arguments by parameter name' }),
  responses: {
    '200': jsonResponse('The call is queued', EVENT_ID),
    '400': MALFORMED_JSON,
    ...CALL_REFUSALS,
    '422': detailResponse('Not an object, or unknown, missing or invalid arguments'),
  },
};

export const CALL_DOC: RouteDoc = {
  summary: 'Queue a call with positional arguments (call protocol)',
  description:
    'Queues a call of the endpoint `apiName` with one value per parameter in `data`. Stream the result from ' +
    '`GET /gradio_api/call/{apiName}/{eventId}`.',
  parameters: [API_NAME],
  requestBody: jsonBody({
    type: 'object',
    properties: {
      data: { type: 'array', items: {}, description: 'One value per parameter, in order' },
      session_hash: { description: 'A session to file the call under (a string); by default its own' },
    },
    required: ['data'],
  }),
  responses: {
    '200': jsonResponse('The call is queued', EVENT_ID),
    '400': MALFORMED_JSON,
    ...CALL_REFUSALS,
    '422': detailResponse('`data` missing or not a list, or invalid arguments'),
  },
};

export const CALL_STREAM_DOC: RouteDoc = {
  summary: 'Result stream of a call (call protocol)',
  description:
    'Server-sent events, each an `event:` line and a `data:` line: `generating` with a partial result, ' +
    '`complete` with the list of outputs, `error` with an error payload (`"404: Not Found"` for an unknown ' +
    'event), and `heartbeat` while waiting. It ends after `complete` or `error`.',
  parameters: [API_NAME, EVENT_ID_PATH],
  responses: {
    '200': {
      description: 'The event stream',
      content: eventStreamOf({
        type: 'object',
        properties: {
          event: { type: 'string', enum: ['generating', 'complete', 'error', 'heartbeat'] },
          data: { type: 'string', description: 'JSON: a partial result, the list of outputs, or an error payload' },
        },
        required: ['event'],
      }),
    },
  },
};

export const RUN_DOC: RouteDoc = {
  summary: 'Run an endpoint at once, outside the queue',
  description:
    'Runs the endpoint `apiName` with one value per parameter in `data` and answers its outputs (a generator: its ' +
    "final value). Gradio's JavaScript client may also send the endpoint's id as `fn_index`, which then takes " +
    "precedence over `apiName`; `data` must fit that endpoint's parameters (a rule this schema cannot state).",
  parameters: [API_NAME],
  requestBody: jsonBody({
    type: 'object',
    properties: {
      data: { type: 'array', items: {}, description: 'One value per parameter, in order (batched: one list each)' },
      session_hash: { description: 'The session of the call (a string)' },
      batched: { description: '`true`: `data` holds one list of samples per parameter, for a batch endpoint' },
    },
    required: ['data'],
  }),
  responses: {
    '200': jsonResponse('The outputs', {
      type: 'object',
      properties: {
        data: { type: 'array', items: {} },
        is_generating: { type: 'boolean' },
        duration: { type: 'number' },
        average_duration: { type: 'number' },
      },
      required: ['data'],
    }),
    '400': MALFORMED_JSON,
    '403': detailResponse('A guard of the endpoint refused the call'),
    '404': detailResponse('No such endpoint, or one that only takes queued calls (`apiOpen: false`)'),
    '422': detailResponse('`data` missing or not a list, or invalid arguments'),
    '500': jsonResponse("The handler failed: Gradio's error payload", {
      type: 'object',
      properties: { error: { type: 'string', nullable: true } },
    }),
  },
};

export const HEARTBEAT_DOC: RouteDoc = {
  summary: 'Heartbeat stream of a session',
  description:
    '`data: ALIVE` at once and then every heartbeat interval, for as long as the client keeps it open: the Python ' +
    'client holds one for its whole life.',
  parameters: [parameter('sessionHash', 'path', "The client's session")],
  responses: { '200': { description: 'The endless heartbeat stream', content: eventStreamOf(DATA_EVENT) } },
};

export const STARTUP_EVENTS_DOC: RouteDoc = {
  summary: 'Whether this is the first call of this route',
  responses: { '200': jsonResponse('`true` the first time, `false` afterwards', { type: 'boolean' }) },
};

export const APP_ID_DOC: RouteDoc = {
  summary: "The app's id",
  responses: {
    '200': jsonResponse("The app's id", {
      type: 'object',
      properties: { app_id: { type: 'integer' } },
      required: ['app_id'],
    }),
  },
};
