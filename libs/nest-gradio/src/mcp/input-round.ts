import { GradioError } from '../kernel/gradio.error.js';
import { mcpCapabilityMissingMessage, mcpInputRequiredMessage } from '../kernel/gradio.messages.js';
import type { McpClientRequests, McpInputRequest } from '../options/event-context.interface.js';

/** The client capability each kind of request needs; also its name in default keys (`elicitation-1`). */
const CAPABILITY_OF: Record<McpInputRequest['method'], string> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

/** What the state of a round carries to the next one: the answers given so far, by key. */
export interface InputRoundState {
  answers: Record<string, unknown>;
}

/**
 * What a handler asks the client on the 2026-07-28 revision, where the server cannot send a request and wait: a call
 * that needs answers it does not have ends with an input-required result listing the requests, and the client calls
 * again with the answers. The method runs again from its start, and this time each request it makes is answered at
 * once from the answers given, this round's and the earlier rounds' (carried in the signed request state); a request
 * still unanswered ends the round again. Methods that ask the client should therefore do nothing irreversible before
 * they have every answer.
 */
export class InputRound implements McpClientRequests {
  /** Requests the method made that no answer covers, by key: non-empty ends the call with input required. */
  readonly needed: Record<string, McpInputRequest> = {};
  /** Answers the method used, by key: carried to the next round. */
  readonly used: Record<string, unknown> = {};
  /** A capability the method needed that the client did not declare: the call is refused for it. */
  missingCapability: string | undefined;
  private readonly counts = new Map<string, number>();

  constructor(
    /** The answers the client gave (earlier rounds' first, this round's over them). */
    private readonly answers: Readonly<Record<string, unknown>>,
    readonly capabilities: Readonly<Record<string, unknown>> | undefined,
  ) {}

  /** Whether the call must end with an input-required result. */
  get inputRequired(): boolean {
    return Object.keys(this.needed).length > 0;
  }

  createMessage(params: Parameters<McpClientRequests['createMessage']>[0], options?: { key?: string }) {
    return this.one({ method: 'sampling/createMessage', params }, options?.key) as never;
  }

  elicitInput(params: Parameters<McpClientRequests['elicitInput']>[0], options?: { key?: string }) {
    return this.one({ method: 'elicitation/create', params }, options?.key) as never;
  }

  listRoots(options?: { key?: string }) {
    return this.one({ method: 'roots/list', params: {} }, options?.key) as never;
  }

  async ask<Requests extends Record<string, McpInputRequest>>(requests: Requests) {
    const answers: Record<string, unknown> = {};
    for (const [key, request] of Object.entries(requests)) {
      this.checkCapability(request);
      const answer = this.answers[key];
      if (isAnswerTo(request, answer)) answers[key] = this.used[key] = answer;
      else this.needed[key] = { ...request, params: request.params ?? {} } as McpInputRequest;
    }
    // Thrown to end the method here: what it does next needs the answers. The MCP side answers the call with the
    // requests instead of this error (a GradioError, so that it is not logged as a failure of the method).
    if (this.inputRequired)
      throw new GradioError(mcpInputRequiredMessage(Object.keys(this.needed)), { printException: false });
    return answers as never;
  }

  private async one(request: McpInputRequest, key?: string): Promise<unknown> {
    const prefix = CAPABILITY_OF[request.method];
    const count = (this.counts.get(prefix) ?? 0) + 1;
    this.counts.set(prefix, count);
    const name = key ?? `${prefix}-${count}`;
    const answers: Record<string, unknown> = await this.ask({ [name]: request });
    return answers[name];
  }

  /** The spec lets a server ask only for what the client declared it can answer. */
  private checkCapability(request: McpInputRequest): void {
    const capability = CAPABILITY_OF[request.method];
    if (this.capabilities !== undefined && this.capabilities[capability] === undefined) {
      this.missingCapability = capability;
      throw new GradioError(mcpCapabilityMissingMessage(capability), { printException: false });
    }
  }
}

/**
 * Whether `answer` has the shape of an answer to `request` (an elicitation's `action`, a sampling's `role` and
 * `content`, a roots listing's `roots`); any other value, such as a number sent by a faulty client, counts as no
 * answer and the request is made again.
 */
function isAnswerTo(request: McpInputRequest, answer: unknown): boolean {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return false;
  const fields = answer as Record<string, unknown>;
  switch (request.method) {
    case 'elicitation/create':
      return fields['action'] === 'accept' || fields['action'] === 'decline' || fields['action'] === 'cancel';
    case 'sampling/createMessage':
      return typeof fields['role'] === 'string' && typeof fields['content'] === 'object' && fields['content'] !== null;
    case 'roots/list':
      return Array.isArray(fields['roots']);
  }
}
