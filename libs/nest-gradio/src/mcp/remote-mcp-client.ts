import { GradioError } from '../kernel/gradio.error.js';
import { mcpClientGoneMessage } from '../kernel/gradio.messages.js';
import type { McpClientRequests, McpInputAnswers, McpInputRequest } from '../options/event-context.interface.js';
import type { QueueBus, RequestFacet } from '../queue/request-facet.js';

/** What a handler may ask; nothing else is served. */
const METHODS = ['createMessage', 'elicitInput', 'listRoots', 'ask'] as const;
type Method = (typeof METHODS)[number];

/** How often a process waiting for answers makes sure the process serving the client still does. */
const PING_MS = 2000;

/** From the running process: a question (with its arguments), or a ping that only counts the listeners. */
type Question = { id: number; method: Method; args: unknown[] } | { ping: true };

/** From the serving process: the client's answer, or the error the question got there. */
interface Answer {
  id: number;
  result?: unknown;
  error?: { message: string; gradio: boolean };
}

/** Where the process that received the call serves its client, and where the running process hears the answers. */
const questionTopic = (eventId: string): string => `mcp-client:${eventId}`;
const answerTopic = (eventId: string): string => `mcp-client:${eventId}:answers`;

/**
 * The MCP client of a call whose job runs on another process than the one that received it (distributed mode):
 * the handler's `ctx.request.mcp` there is a {@link RemoteMcpClient}, which asks the receiving process — it holds the
 * client's connection, or the 2026 revision's round — over the queue's bus. An answer that must come from the
 * client (elicitation, sampling) comes back through the same process.
 */
export const MCP_CLIENT_FACET: RequestFacet = {
  name: 'mcp',
  describe: (client) => ({ capabilities: (client as McpClientRequests).capabilities ?? null }),
  revive: (description, eventId, bus) => {
    const { capabilities } = description as { capabilities: Record<string, unknown> | null };
    return new RemoteMcpClient(eventId, capabilities ?? undefined, bus);
  },
};

/**
 * On the process that received the call: answers the questions its job's process asks the call's client, until
 * the returned function is called (the call ended). Resolves once listening.
 */
export function serveMcpClient(bus: QueueBus, eventId: string, client: McpClientRequests): Promise<() => void> {
  return bus.listening(questionTopic(eventId), (text) => {
    const question = JSON.parse(text) as Question;
    if ('ping' in question || !METHODS.includes(question.method)) return;
    const { id, method, args } = question;
    const asked = (client[method] as (...args: unknown[]) => Promise<unknown>).apply(client, args);
    asked
      .then(
        (result) => ({ id, result }),
        (error: unknown) => ({ id, error: errorOf(error) }),
      )
      .then((answer: Answer) => bus.broadcast(answerTopic(eventId), JSON.stringify(answer)))
      .catch(() => undefined);
  });
}

/** The MCP client of a call received on another process, reached over the queue's bus. */
class RemoteMcpClient implements McpClientRequests {
  private asked = 0;
  private readonly waiting = new Map<number, { resolve: (result: never) => void; reject: (error: Error) => void }>();
  private listening: Promise<() => void> | undefined;
  private pinger: NodeJS.Timeout | undefined;

  constructor(
    private readonly eventId: string,
    readonly capabilities: Readonly<Record<string, unknown>> | undefined,
    private readonly bus: QueueBus,
  ) {}

  createMessage(
    ...args: Parameters<McpClientRequests['createMessage']>
  ): ReturnType<McpClientRequests['createMessage']> {
    return this.put('createMessage', args);
  }

  elicitInput(...args: Parameters<McpClientRequests['elicitInput']>): ReturnType<McpClientRequests['elicitInput']> {
    return this.put('elicitInput', args);
  }

  listRoots(...args: Parameters<McpClientRequests['listRoots']>): ReturnType<McpClientRequests['listRoots']> {
    return this.put('listRoots', args);
  }

  ask<Requests extends Record<string, McpInputRequest>>(requests: Requests): Promise<McpInputAnswers<Requests>> {
    return this.put('ask', [requests]);
  }

  private put(method: Method, args: unknown[]): Promise<never> {
    const id = ++this.asked;
    return new Promise<never>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // The answers are heard before the question goes: the client may answer at once.
      this.listening ??= this.bus.listening(answerTopic(this.eventId), (text) => this.answered(JSON.parse(text)));
      this.listening
        .then(() => this.bus.broadcast(questionTopic(this.eventId), JSON.stringify({ id, method, args })))
        .then((heard) => {
          if (heard === 0) this.settle(id, undefined, new Error(mcpClientGoneMessage()));
        })
        .catch((error: unknown) =>
          this.settle(id, undefined, error instanceof Error ? error : new Error(String(error))),
        );
      this.pinger ??= setInterval(() => this.ping(), PING_MS).unref();
    });
  }

  private answered(answer: Answer): void {
    const error = answer.error && rebuiltError(answer.error);
    this.settle(answer.id, answer.result, error);
  }

  private settle(id: number, result: unknown, error: Error | undefined): void {
    const waiter = this.waiting.get(id);
    if (!waiter) return;
    this.waiting.delete(id);
    if (error) waiter.reject(error);
    else waiter.resolve(result as never);
    if (this.waiting.size > 0) return;
    clearInterval(this.pinger);
    this.pinger = undefined;
    const listening = this.listening;
    this.listening = undefined;
    void listening?.then((stop) => stop());
  }

  /** The serving process stopped serving (its call ended, or it died): nothing will answer. */
  private ping(): void {
    this.bus
      .broadcast(questionTopic(this.eventId), JSON.stringify({ ping: true }))
      .then((heard) => {
        if (heard > 0) return;
        for (const id of [...this.waiting.keys()]) this.settle(id, undefined, new Error(mcpClientGoneMessage()));
      })
      .catch(() => undefined);
  }
}

/** What of an error travels: its message, and whether it is meant for the caller (see GradioError). */
function errorOf(error: unknown): Answer['error'] {
  return { message: error instanceof Error ? error.message : String(error), gradio: error instanceof GradioError };
}

/** A GradioError stays one (the 2026 revision's round ends the method with one); it was logged where it arose. */
function rebuiltError({ message, gradio }: { message: string; gradio: boolean }): Error {
  return gradio ? new GradioError(message, { printException: false }) : new Error(message);
}
