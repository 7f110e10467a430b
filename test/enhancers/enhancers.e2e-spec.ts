// Nest's guards, interceptors, pipes and filters hold on a decorated method however it is reached: queue/join,
// call/, call/v2, run/ and MCP. Guards run before the event is queued; the rest run around the method in the queue.
import { Client as GradioClient } from '@gradio/client';
import {
  type ArgumentsHost,
  BadRequestException,
  type CallHandler,
  type CanActivate,
  Catch,
  type ExceptionFilter,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  ParseIntPipe,
  type PipeTransform,
  Scope,
  SetMetadata,
  UseFilters,
  UseGuards,
  UseInterceptors,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { IsInt, Min } from 'class-validator';
import type { Request } from 'express';
import { Arg, GradioApi, McpPrompt, McpResource, McpTool } from 'nest-gradio';
import { map, type Observable } from 'rxjs';
import { runPythonClient } from '../auth/python-client.js';
import { connectStreamableHttp, texts } from '../mcp/mcp-clients.js';
import { fnIndexes, messagesOf, newSessionHash, readSession } from '../support/protocol.js';
import { postJson } from '../support/sse.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

@Injectable()
class DenyAllGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

/** What the guards saw: the context type and the path of the HTTP request. */
const seenByGuards: string[] = [];

@Injectable()
class KeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    // The URL's path, as both adapters' requests have it (Express's `request.path` is its own).
    seenByGuards.push(
      `${context.getType()} ${request.method} ${new URL(request.originalUrl, 'http://localhost').pathname}`,
    );
    return request.headers['x-key'] === 'open-sesame';
  }
}

const BLOCKED = 'blocked';

/** A global guard that reads the method's own metadata through Reflector. */
@Injectable()
class BlockedMethodGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    return (
      context.getType<string>() !== 'gradio' || this.reflector.get<boolean>(BLOCKED, context.getHandler()) !== true
    );
  }
}

/** Arguments interceptors saw, and results doubled. */
const interceptedArguments: unknown[] = [];

@Injectable()
class DoubleInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    interceptedArguments.push(context.getArgByIndex(2));
    return next.handle().pipe(map((value) => (value as number) * 2));
  }
}

@Injectable()
class UpperInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(map((value) => String(value).toUpperCase()));
  }
}

/** Says whom the result is for, from the HTTP request that submitted the event (read when the method has run). */
@Injectable()
class CallerInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request | undefined>();
    return next.handle().pipe(map((value) => `${String(value)} for ${String(request?.headers['x-caller'])}`));
  }
}

@Injectable()
class TrimPipe implements PipeTransform {
  transform(value: unknown): unknown {
    return typeof value === 'string' ? value.trim() : value;
  }
}

@Catch()
class RecoverFilter implements ExceptionFilter {
  catch(exception: Error, _host: ArgumentsHost): string {
    return `recovered from "${exception.message}"`;
  }
}

class Order {
  @IsInt() @Min(1) quantity!: number;
}

@UseGuards(KeyGuard)
@Injectable()
class KeyedService {
  /** Greets a caller who holds the key. */
  @GradioApi({ name: 'keyed' })
  keyed(@Arg('name') name: string): string {
    return `Hello, ${name}!`;
  }
}

@Injectable()
class EnhancedService {
  @UseGuards(DenyAllGuard)
  @GradioApi({ name: 'secret' })
  secret(): number {
    return 41;
  }

  @GradioApi({ name: 'open' })
  open(): number {
    return 1;
  }

  @SetMetadata(BLOCKED, true)
  @GradioApi({ name: 'blocked' })
  blocked(): string {
    return 'should not run';
  }

  @UseInterceptors(DoubleInterceptor)
  @GradioApi({ name: 'double_sum' })
  doubleSum(@Arg('a') a: number, @Arg('b') b: number): number {
    return a + b;
  }

  @UseInterceptors(CallerInterceptor)
  @GradioApi({ name: 'addressed' })
  addressed(): string {
    return 'a result';
  }

  @UseInterceptors(UpperInterceptor)
  @GradioApi({ name: 'shout' })
  async *shout(@Arg('text') text: string): AsyncGenerator<string> {
    for (let end = 1; end <= text.length; end++) yield text.slice(0, end);
  }

  @UsePipes(TrimPipe)
  @GradioApi({ name: 'trimmed' })
  trimmed(@Arg('text') text: string): string {
    return `[${text}]`;
  }

  @UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
  @GradioApi({ name: 'order' })
  order(@Arg('order') order: Order): string {
    return `${order instanceof Order ? 'Order' : typeof order} of ${order.quantity}`;
  }

  @UsePipes(ParseIntPipe)
  @GradioApi({ name: 'parsed' })
  parsed(@Arg('count') count: string): number {
    return Number(count) + 1;
  }

  @UseFilters(RecoverFilter)
  @GradioApi({ name: 'fragile' })
  fragile(@Arg('message') message: string): string {
    throw new Error(message);
  }

  @UseFilters(RecoverFilter)
  @GradioApi({ name: 'fragile_stream' })
  *fragileStream(@Arg('text') text: string): Generator<string> {
    yield text;
    throw new Error(`after ${text}`);
  }

  @UseFilters(RecoverFilter)
  @UseInterceptors(UpperInterceptor)
  @GradioApi({ name: 'fragile_shout' })
  async *fragileShout(@Arg('text') text: string): AsyncGenerator<string> {
    yield text;
    throw new Error(`after ${text}`);
  }

  @UseGuards(DenyAllGuard)
  @McpTool({ description: 'A tool nobody may call.' })
  forbiddenTool(): string {
    return 'should not run';
  }

  @UseInterceptors(DoubleInterceptor)
  @McpTool({ description: 'Adds two numbers; an interceptor doubles the sum.' })
  doubledTool(@Arg('a') a: number, @Arg('b') b: number): number {
    return a + b;
  }

  @UseGuards(KeyGuard)
  @McpResource('memo://{topic}', { description: 'A memo for key holders.' })
  memo(@Arg('topic') topic: string): string {
    return `memo about ${topic}`;
  }

  @UseGuards(DenyAllGuard)
  @McpPrompt({ description: 'A prompt nobody may get.' })
  sealedPrompt(): string {
    return 'should not run';
  }
}

let app: RunningApp;
let indexes: Record<string, number>;

beforeAll(async () => {
  app = await startGradioApp({ mcpServer: true }, [EnhancedService, KeyedService], {
    providers: [{ provide: APP_GUARD, useClass: BlockedMethodGuard }],
  });
  indexes = await fnIndexes(app.url);
});

afterAll(() => app.close());

async function joinStatus(apiName: string, data: unknown[], headers: Record<string, string> = {}) {
  const response = await fetch(`${app.url}/gradio_api/queue/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ data, fn_index: indexes[apiName], session_hash: newSessionHash() }),
  });
  return { status: response.status, json: (await response.json()) as unknown };
}

/** Joins, reads the session's stream and returns the event's completion. */
async function complete(apiName: string, data: unknown[]): Promise<Record<string, unknown>> {
  const sessionHash = newSessionHash();
  const { status, json } = await postJson(`${app.url}/gradio_api/queue/join`, {
    data,
    fn_index: indexes[apiName],
    session_hash: sessionHash,
  });
  expect(status).toBe(200);
  const { messages } = await readSession(app.url, sessionHash);
  const own = messagesOf(messages, (json as { event_id: string }).event_id);
  return own[own.length - 1] as Record<string, unknown>;
}

describe('a method guard that refuses', () => {
  it.each([
    ['queue/join', () => joinStatus('secret', [])],
    ['call/', () => postJson(`${app.url}/gradio_api/call/secret`, { data: [] })],
    ['call/v2', () => postJson(`${app.url}/gradio_api/call/v2/secret`, {})],
    ['run/', () => postJson(`${app.url}/gradio_api/run/secret`, { data: [] })],
  ])('answers %s with 403 and a JSON detail, queueing nothing', async (_route, send) => {
    const { status, json } = await send();
    expect(status).toBe(403);
    expect(json).toEqual({ detail: 'Forbidden resource' });
  });

  it('leaves the methods without that guard open', async () => {
    const completion = await complete('open', []);
    expect(completion).toMatchObject({
      msg: 'process_completed',
      success: true,
      output: expect.objectContaining({ data: [1] }),
    });
  });

  it('makes the JS client reject with the message', async () => {
    const client = await GradioClient.connect(app.url);
    await expect(client.predict('/secret', [])).rejects.toMatchObject({
      message: expect.stringContaining('Forbidden resource'),
    });
  });

  it('makes the Python client raise an HTTP error whose response carries the message', async () => {
    const outcome = await runPythonClient<unknown>(
      [
        'import json, sys',
        'from gradio_client import Client',
        'url = json.load(sys.stdin)',
        'client = Client(url, verbose=False)',
        'try:',
        '    client.predict(api_name="/secret")',
        '    print(json.dumps("no error"))',
        'except Exception as error:',
        '    response = getattr(error, "response", None)',
        '    print(json.dumps([type(error).__name__, response.status_code, response.json()] if response is not None else str(error)))',
      ].join('\n'),
      app.url,
    );
    expect(outcome).toEqual(['HTTPStatusError', 403, { detail: 'Forbidden resource' }]);
  });
});

describe('a class guard reading the HTTP request', () => {
  it('refuses a call without the key and runs one with it', async () => {
    expect((await joinStatus('keyed', ['Ada'])).status).toBe(403);
    const allowed = await fetch(`${app.url}/gradio_api/call/keyed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-key': 'open-sesame' },
      body: JSON.stringify({ data: ['Ada'] }),
    });
    expect(allowed.status).toBe(200);
    const { event_id } = (await allowed.json()) as { event_id: string };
    const stream = await (await fetch(`${app.url}/gradio_api/call/keyed/${event_id}`)).text();
    expect(stream).toContain('data: ["Hello, Ada!"]');
  });

  it("sees the 'gradio' context type and the request that made the call", () => {
    expect(seenByGuards).toContain('gradio POST /gradio_api/queue/join');
    expect(seenByGuards).toContain('gradio POST /gradio_api/call/keyed');
  });
});

it("a global guard reads the method's own metadata and refuses it", async () => {
  const { status, json } = await joinStatus('blocked', []);
  expect(status).toBe(403);
  expect(json).toEqual({ detail: 'Forbidden resource' });
});

describe('interceptors', () => {
  it("see the method's arguments and change its result with map", async () => {
    const completion = await complete('double_sum', [2, 3]);
    expect(completion).toMatchObject({ success: true, output: expect.objectContaining({ data: [10] }) });
    expect(interceptedArguments).toContainEqual([2, 3]);
  });

  it('see the HTTP request that submitted the event, which the event keeps for them while it waits', async () => {
    const sessionHash = newSessionHash();
    const joined = await fetch(`${app.url}/gradio_api/queue/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-caller': 'ada' },
      body: JSON.stringify({ data: [], fn_index: indexes['addressed'], session_hash: sessionHash }),
    });
    const { event_id: eventId } = (await joined.json()) as { event_id: string };
    const own = messagesOf((await readSession(app.url, sessionHash)).messages, eventId);
    expect(own[own.length - 1]).toMatchObject({
      msg: 'process_completed',
      output: expect.objectContaining({ data: ['a result for ada'] }),
    });
  });

  it('see every value of a stream', async () => {
    const sessionHash = newSessionHash();
    const { json } = await postJson(`${app.url}/gradio_api/queue/join`, {
      data: ['abc'],
      fn_index: indexes['shout'],
      session_hash: sessionHash,
      simple_format: true,
    });
    const own = messagesOf((await readSession(app.url, sessionHash)).messages, (json as { event_id: string }).event_id);
    const generated = own.filter((message) => message.msg === 'process_generating');
    expect(generated.map((message) => (message.output as { data: unknown[] }).data[0])).toEqual(['A', 'AB', 'ABC']);
    expect(own[own.length - 1]).toMatchObject({
      msg: 'process_completed',
      output: expect.objectContaining({ data: ['ABC'] }),
    });
  });
});

describe('pipes', () => {
  it('transform the arguments', async () => {
    expect(await complete('trimmed', ['  padded  '])).toMatchObject({
      output: expect.objectContaining({ data: ['[padded]'] }),
    });
  });

  it('ValidationPipe turns the argument into the DTO', async () => {
    expect(await complete('order', [{ quantity: 3 }])).toMatchObject({
      success: true,
      output: expect.objectContaining({ data: ['Order of 3'] }),
    });
  });

  it("a pipe's refusal reaches the caller with its usual message", async () => {
    expect(await complete('parsed', ['12'])).toMatchObject({
      success: true,
      output: expect.objectContaining({ data: [13] }),
    });
    expect(await complete('parsed', ['twelve'])).toMatchObject({
      success: false,
      output: { error: 'Validation failed (numeric string is expected)' },
    });
  });
});

it("a filter sees the method's error and its return value becomes the result", async () => {
  expect(await complete('fragile', ['boom'])).toMatchObject({
    success: true,
    output: expect.objectContaining({ data: ['recovered from "boom"'] }),
  });
});

it.each([
  ['fragile_stream', 'abc'],
  ['fragile_shout', 'ABC'],
])("a filter sees a stream's error (/%s) and its return value follows the stream's items", async (apiName, first) => {
  const sessionHash = newSessionHash();
  const { json } = await postJson(`${app.url}/gradio_api/queue/join`, {
    data: ['abc'],
    fn_index: indexes[apiName],
    session_hash: sessionHash,
    simple_format: true,
  });
  const own = messagesOf((await readSession(app.url, sessionHash)).messages, (json as { event_id: string }).event_id);
  const generated = own.filter((message) => message.msg === 'process_generating');
  expect(generated.map((message) => (message.output as { data: unknown[] }).data[0])).toEqual([
    first,
    'recovered from "after abc"',
  ]);
  expect(own.filter((message) => message.msg === 'process_completed')).toEqual([
    expect.objectContaining({
      success: true,
      output: expect.objectContaining({ data: ['recovered from "after abc"'] }),
    }),
  ]);
});

describe('over MCP', () => {
  it('tools/list leaves out the tools whose guards refuse the caller, and tools/call refuses them', async () => {
    const client = await connectStreamableHttp(app.url);
    try {
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain('doubledTool');
      expect(names).not.toContain('forbiddenTool');
      const refused = await client.callTool({ name: 'forbiddenTool', arguments: {} });
      expect(refused.isError).toBe(true);
      expect(texts(refused).join(' ')).toContain('Forbidden resource');
    } finally {
      await client.close();
    }
  });

  it('interceptors wrap tool calls', async () => {
    const client = await connectStreamableHttp(app.url);
    try {
      expect(texts(await client.callTool({ name: 'doubledTool', arguments: { a: 4, b: 5 } }))).toEqual(['18']);
    } finally {
      await client.close();
    }
  });

  it("guards hold on resources/read and prompts/get, with the MCP POST as the guards' request", async () => {
    const stranger = await connectStreamableHttp(app.url);
    const holder = await connectStreamableHttp(app.url, { headers: { 'x-key': 'open-sesame' } });
    try {
      await expect(stranger.readResource({ uri: 'memo://cats' })).rejects.toThrow(/Forbidden resource/);
      const read = await holder.readResource({ uri: 'memo://cats' });
      expect(read.contents[0]).toMatchObject({ text: 'memo about cats' });
      expect((await stranger.listResourceTemplates()).resourceTemplates).toEqual([]);
      await expect(holder.getPrompt({ name: 'sealedPrompt' })).rejects.toThrow(/Forbidden resource/);
      expect((await holder.listPrompts()).prompts.map((prompt) => prompt.name)).not.toContain('sealedPrompt');
      expect(seenByGuards).toContain('gradio POST /gradio_api/mcp/');
    } finally {
      await Promise.all([stranger.close(), holder.close()]);
    }
  });
});

it('a request-scoped guard is refused at bootstrap, naming it', async () => {
  @Injectable({ scope: Scope.REQUEST })
  class PerRequestGuard implements CanActivate {
    canActivate(): boolean {
      return true;
    }
  }
  @Injectable()
  class Guarded {
    @UseGuards(PerRequestGuard)
    @GradioApi({ name: 'guarded' })
    guarded(): number {
      return 1;
    }
  }
  await expect(startGradioApp({}, [Guarded])).rejects.toThrow(
    /PerRequestGuard applies to Guarded\.guarded\(\) but is request-scoped/,
  );
});

it('a BadRequestException thrown by a handler reaches the caller as its message', async () => {
  @Injectable()
  class Strict {
    @GradioApi({ name: 'strict' })
    strict(): string {
      throw new BadRequestException('quantity must be positive');
    }
  }
  const strictApp = await startGradioApp({}, [Strict]);
  try {
    const sessionHash = newSessionHash();
    await postJson(`${strictApp.url}/gradio_api/queue/join`, { data: [], fn_index: 0, session_hash: sessionHash });
    const { messages } = await readSession(strictApp.url, sessionHash);
    expect(messages.find((message) => message.msg === 'process_completed')).toMatchObject({
      success: false,
      output: { error: 'quantity must be positive' },
    });
  } finally {
    await strictApp.close();
  }
});
