import type { JSONRPCMessage, JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import { isInitializeRequest, JSONRPCMessageSchema, SUPPORTED_PROTOCOL_VERSIONS } from '../kernel/optional-package.js';
import type { HttpRequest } from '../http/http-exchange.js';

/** The most messages a batch may carry, as the SDK's transports allow. */
const MAX_BATCH_SIZE = 100;

/** A POST the transport takes: its messages, valid JSON-RPC, and whether any of them expects an answer. */
export interface StatelessPost {
  readonly messages: JSONRPCMessage[];
  readonly expectsAnswers: boolean;
}

/** A POST refused before any handler runs: the status and the JSON-RPC error of its answer (`id: null`). */
export interface PostRefusal {
  readonly status: number;
  readonly error: { code: number; message: string };
}

/**
 * What streamable HTTP requires of a POST before its messages reach the server, with the statuses and messages of
 * the SDK's own transport (clients and the conformance suite know them): the client accepts both an SSE stream and
 * JSON (406), the body is JSON (415), a batch holds at most 100 messages, each is a JSON-RPC message, an
 * `initialize` comes alone (400), and a later request names a protocol revision the server speaks (400).
 * `body` is what Nest's parser read: undefined when the body is not JSON.
 */
export function checkStatelessPost(request: HttpRequest, body: unknown): StatelessPost | PostRefusal {
  const accept = request.headers.accept;
  if (!accept?.includes('application/json') || !accept.includes('text/event-stream')) {
    return refusal(406, -32000, 'Not Acceptable: Client must accept both application/json and text/event-stream');
  }
  if (!isJsonMediaType(request.headers['content-type'])) {
    return refusal(415, -32000, 'Unsupported Media Type: Content-Type must be application/json');
  }
  const raw = Array.isArray(body) ? body : [body];
  if (raw.length > MAX_BATCH_SIZE) {
    return refusal(400, -32600, `Invalid Request: Batch must not exceed ${MAX_BATCH_SIZE} messages`);
  }
  const messages: JSONRPCMessage[] = [];
  for (const message of raw) {
    const parsed = JSONRPCMessageSchema.safeParse(message);
    if (!parsed.success) return refusal(400, -32700, 'Parse error: Invalid JSON-RPC message');
    messages.push(parsed.data);
  }
  if (messages.some(isInitialize)) {
    if (messages.length > 1) {
      return refusal(400, -32600, 'Invalid Request: Only one initialization request is allowed');
    }
  } else {
    const version = request.headers['mcp-protocol-version'];
    if (typeof version === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      const supported = SUPPORTED_PROTOCOL_VERSIONS.join(', ');
      return refusal(
        400,
        -32000,
        `Bad Request: Unsupported protocol version: ${version} (supported versions: ${supported})`,
      );
    }
  }
  return { messages, expectsAnswers: messages.some(isRequest) };
}

/**
 * Whether a message (valid JSON-RPC, parsed above) is a request: the message schemas are strict, so only a request
 * has both a method and an id. What the SDK's `isJSONRPCRequest` tells, without parsing once more.
 */
export function isRequest(message: JSONRPCMessage): message is JSONRPCRequest {
  return 'method' in message && 'id' in message;
}

/**
 * Whether a message is an `initialize` request. A schema's failed parse is costly (zod builds its issues), so only
 * a message of that method is parsed.
 */
function isInitialize(message: JSONRPCMessage): boolean {
  return 'method' in message && message.method === 'initialize' && isInitializeRequest(message);
}

export function isPostRefusal(post: StatelessPost | PostRefusal): post is PostRefusal {
  return 'status' in post;
}

function refusal(status: number, code: number, message: string): PostRefusal {
  return { status, error: { code, message } };
}

/** `application/json` with any parameters, in any case; a `+json` type is not it (the SDK's rule). */
function isJsonMediaType(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(';', 1)[0]!.trim().toLowerCase() === 'application/json';
}
