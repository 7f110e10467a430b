import type { EndpointSource } from './endpoint-source.interface.js';

/** Error and warning texts, kept in one place so that they read alike. */

export function invalidEndpointMessage(source: EndpointSource, problem: string): string {
  return `Invalid @GradioApi() on ${source.className}.${source.methodName}: ${problem}`;
}

export function missingArgumentMessage(name: string, apiName: string): string {
  return `No value provided for required argument: ${name} (endpoint /${apiName}).`;
}

export function invalidArgumentMessage(problem: string, apiName: string): string {
  return `Invalid argument for /${apiName}: ${problem}.`;
}

export function invalidFileMessage(apiName: string, problem: string): string {
  return `Invalid file for /${apiName}: ${problem}`;
}

export function unknownEndpointMessage(apiName: string, known: string[]): string {
  const list = known.length > 0 ? ` Valid endpoints are: ${known.map((name) => `/${name}`).join(', ')}.` : '';
  return `There is no endpoint named /${apiName}.${list}`;
}

export function queueFullMessage(maxSize: number, size: number): string {
  return `Queue is full. Max size is ${maxSize} and size is ${size}.`;
}

export function timeLimitMessage(seconds: number): string {
  return `The event took longer than its time limit of ${seconds} s and was stopped.`;
}

export function outputCountMessage(apiName: string, expected: number, received: number): string {
  return `/${apiName} declares ${expected} outputs but its handler returned ${received} value${received === 1 ? '' : 's'}.`;
}

export function enhancerScopeMessage(enhancer: string, className: string, methodName: string): string {
  return (
    `${enhancer} applies to ${className}.${methodName}() but is request-scoped (or depends on a request-scoped ` +
    'provider). Gradio and MCP calls run outside the HTTP request that queued them, so it could not run there; make ' +
    'it a singleton (the default scope), or read the request from the ExecutionContext instead of injecting REQUEST.'
  );
}

export function mcpStdioOffMessage(): string {
  return (
    'MCP over stdio needs the MCP server: set the GradioModule option mcpServer: true ' +
    '(or GRADIO_MCP_SERVER=true) in the module you launch.'
  );
}

export function mcpOAuthAudienceMessage(): string {
  return (
    'The GradioModule option mcp.oauth needs resource (the MCP URL clients use, e.g. ' +
    'https://mcp.example.com/gradio_api/mcp) or jwks.audience on a server reached over the network: the audience ' +
    "of a token cannot be taken from the request's Host header, which the client chooses."
  );
}

export function methodNotAllowedMessage(method: string, path: string, allowed: readonly string[]): string {
  const listed = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} and ${allowed.at(-1)}` : allowed.join('');
  return `${method} is not allowed on ${path}; it answers ${listed}.`;
}

export function unreadMessagesMessage(limit: number): string {
  return (
    `Stopped: this event produced ${limit} results that no client read. Open its stream (queue/data, or the GET of ` +
    'call/) while it runs.'
  );
}

export function redisUnreachableMessage(displayName: string, reason: string): string {
  return (
    `Distributed mode (GradioModule option redis, or GRADIO_REDIS_URL) cannot reach Redis at ${displayName}: ${reason}. ` +
    'Start Redis there or correct the URL.'
  );
}

export function redisLostMessage(reason: string): string {
  return `The server lost its connection to Redis (${reason}); the call did not complete. Try again.`;
}

export function stalledJobMessage(seconds: number): string {
  return `The server process running this event stopped answering for ${seconds} s; the event was abandoned. Try again.`;
}

export function processStoppedMessage(): string {
  return 'The server process running this event stopped; the event was abandoned. Try again.';
}

export function mcpClientGoneMessage(): string {
  return 'The MCP client of this call cannot be asked any more: the server process that received the call no longer serves it.';
}

export function mcpClientRequestsNeedSessionsMessage(): string {
  return (
    "Asking the MCP client (sampling, elicitation) needs a connection its answer can come back on: set mcp: { sessions: 'stateful' } " +
    'in GradioModule.forRoot(), or connect over the legacy SSE transport or stdio.'
  );
}

export function mcpInputRequiredMessage(keys: readonly string[]): string {
  return `The call needs the MCP client's answers first (${keys.join(', ')}); the client is asked and calls again.`;
}

export function mcpCapabilityMissingMessage(capability: string): string {
  return `The MCP client did not declare the ${capability} capability, so it cannot be asked for it.`;
}

export function queueClosedMessage(): string {
  return 'The server is shutting down and takes no new calls; try again in a moment.';
}

export function eventContextOffMessage(): string {
  return (
    'currentEvent() needs the asynchronous event context, which is off: set `asyncEventContext: true` in the ' +
    "options of GradioModule.forRoot() (or forRootAsync()), or take the handler's context with @Ctx() and pass it on."
  );
}

export function shutdownBeforeStartMessage(): string {
  return 'The server is shutting down; this call had not started and will not run. Try again in a moment.';
}

/** An MCP tool call a rate limit refused: `detail` is the limiter's own message; `retryAfter` in seconds, if known. */
export function mcpRateLimitedMessage(tool: string, detail: string, retryAfter: number | undefined): string {
  // No double quotes: MCP clients show the JSON-RPC body as JSON text, where they would come out escaped.
  const wait = retryAfter === undefined ? 'try again later' : `try again in ${retryAfter} s`;
  return `Too many calls of the tool ${tool} (${detail}); ${wait}.`;
}
