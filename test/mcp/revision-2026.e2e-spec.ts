// MCP 2026-07-28 (docs/mcp.md#protocol-revisions) on the endpoint that serves the 2025 revisions: requests carry
// their protocol version, client info and capabilities in `_meta`, with no initialize. Spoken here as raw HTTP
// requests following the revision; the 2025 side by the SDK v1 client, on the same URL.
import { type CanActivate, type ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { Ctx, type EventContext, McpTool } from 'nest-gradio';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import { connectStreamableHttp, texts } from './mcp-clients.js';
import { accepted, ELICIT, post, resultOf, REVISION, type RpcMessage } from './revision-2026-client.js';

@Injectable()
class KeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest<Request>().headers['x-key'] === 'open-sesame';
  }
}

@Injectable()
class Tools {
  /** Adds two numbers. */
  @McpTool()
  add(a: number, b: number): number {
    return a + b;
  }

  /** Says what it is doing, then answers. */
  @McpTool()
  chatty(@Ctx() ctx: EventContext): string {
    ctx.info('Warming up.');
    ctx.warning('Almost out of tea.');
    return 'done';
  }

  /** Only for callers with the key. */
  @McpTool()
  @UseGuards(KeyGuard)
  secret(): string {
    return 'the secret';
  }
}

/** Tools that ask their client, as a booking service might. */
@Injectable()
class Booking {
  /** Counts the bookings made: a method asking its client runs again each round, but books only once answered. */
  static booked = 0;

  /** Books a trip once the traveller confirmed it and gave a seat. */
  @McpTool()
  async book(city: string, @Ctx() ctx: EventContext): Promise<string> {
    const mcp = ctx.request.mcp;
    if (!mcp) return 'not over MCP';
    const confirm = await mcp.elicitInput({
      message: `Book a trip to ${city}?`,
      requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
    });
    if (confirm.action !== 'accept' || confirm.content?.['ok'] !== true) return 'Not booked.';
    const seat = await mcp.elicitInput(
      {
        message: 'Which seat?',
        requestedSchema: { type: 'object', properties: { seat: { type: 'string' } }, required: ['seat'] },
      },
      { key: 'seat' },
    );
    Booking.booked++;
    return `Booked ${city}, seat ${String(seat.content?.['seat'])}.`;
  }

  /** Asks the client's model, which needs the sampling capability. */
  @McpTool()
  async summarize(text: string, @Ctx() ctx: EventContext): Promise<string> {
    const answer = await ctx.request.mcp?.createMessage({
      messages: [{ role: 'user', content: { type: 'text', text: `Summarize: ${text}` } }],
      maxTokens: 20,
    });
    return (answer?.content as { text: string }).text;
  }
}

describe('MCP 2026-07-28 beside the 2025 revisions', () => {
  let app: RunningApp;
  let url: string;

  beforeAll(async () => {
    app = await startGradioApp({ title: 'Two eras', mcpServer: true }, [Tools, KeyGuard]);
    url = `${app.url}/gradio_api/mcp`;
  });
  afterAll(() => app.close());

  it('answers server/discover with the revision, the capabilities and the app as server', async () => {
    const { status, messages } = await post(url, 'server/discover');
    expect(status).toBe(200);
    const result = resultOf(messages);
    expect(result['supportedVersions']).toContain(REVISION);
    expect(result['capabilities']).toEqual(expect.objectContaining({ tools: expect.any(Object) }));
    expect(JSON.stringify(result)).toContain('Two eras');
  });

  it('calls a tool without any initialize', async () => {
    const { status, messages } = await post(url, 'tools/call', { name: 'add', arguments: { a: 2, b: 40 } });
    expect(status).toBe(200);
    expect(resultOf(messages)['content']).toEqual([{ type: 'text', text: '42' }]);
  });

  it("sends log messages only at or above the level the request's _meta asks for, before the result", async () => {
    const withLevel = await post(
      url,
      'tools/call',
      { name: 'chatty', arguments: {} },
      { meta: { 'io.modelcontextprotocol/logLevel': 'warning' } },
    );
    const logs = withLevel.messages.filter((message) => message.method === 'notifications/message');
    expect(logs.map((message) => message.params?.['data'])).toEqual(['Almost out of tea.']);
    expect(withLevel.messages.at(-1)?.id).toBe(7);

    const without = await post(url, 'tools/call', { name: 'chatty', arguments: {} });
    expect(without.messages.filter((message) => message.method === 'notifications/message')).toEqual([]);
    expect(texts(resultOf(without.messages))).toEqual(['done']);
  });

  it("applies the tools' guards: the listing hides what the caller may not run, a call is refused", async () => {
    const listed = async (headers: Record<string, string>) =>
      ((resultOf((await post(url, 'tools/list', {}, { headers })).messages)['tools'] as { name: string }[]) ?? []).map(
        (tool) => tool.name,
      );
    expect(await listed({})).toEqual(['add', 'chatty']);
    expect(await listed({ 'x-key': 'open-sesame' })).toEqual(['add', 'chatty', 'secret']);
    const refused = resultOf((await post(url, 'tools/call', { name: 'secret', arguments: {} })).messages);
    expect(refused['isError']).toBe(true);
  });

  it('refuses a request of the revision without its _meta (400, -32602)', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': REVISION,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as RpcMessage).error?.code).toBe(-32602);
  });

  it('still serves the 2025 handshake on the same URL (SDK v1 client)', async () => {
    const client = await connectStreamableHttp(app.url);
    try {
      expect(client.getServerVersion()?.name).toBe('Two eras');
      expect(texts(await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } }))).toEqual(['3']);
    } finally {
      await client.close();
    }
  });
});

describe('MCP 2026-07-28: methods asking their client (input-required rounds)', () => {
  let app: RunningApp;
  let url: string;

  beforeAll(async () => {
    app = await startGradioApp({ mcpServer: true }, [Booking]);
    url = `${app.url}/gradio_api/mcp`;
  });
  afterAll(() => app.close());

  const book = (extra: Record<string, unknown> = {}, meta: Record<string, unknown> = ELICIT) =>
    post(url, 'tools/call', { name: 'book', arguments: { city: 'Lima' }, ...extra }, { meta });

  it('ends a round with the questions and a signed state, and runs the method again with the answers', async () => {
    const before = Booking.booked;
    const first = resultOf((await book()).messages);
    expect(first).toMatchObject({
      resultType: 'input_required',
      inputRequests: {
        'elicitation-1': { method: 'elicitation/create', params: { message: 'Book a trip to Lima?' } },
      },
    });
    expect(first['requestState']).toEqual(expect.any(String));

    // The second question comes once the first is answered; the first answer travels in the new state.
    const second = resultOf(
      (await book({ inputResponses: { 'elicitation-1': accepted({ ok: true }) }, requestState: first['requestState'] }))
        .messages,
    );
    expect(second).toMatchObject({
      resultType: 'input_required',
      inputRequests: { seat: { method: 'elicitation/create' } },
    });
    expect(Object.keys(second['inputRequests'] as object)).toEqual(['seat']);
    expect(second['requestState']).not.toBe(first['requestState']);
    expect(Booking.booked).toBe(before);

    const done = resultOf(
      (await book({ inputResponses: { seat: accepted({ seat: '12A' }) }, requestState: second['requestState'] }))
        .messages,
    );
    expect(texts(done)).toEqual(['Booked Lima, seat 12A.']);
    expect(done['isError']).toBeUndefined();
    expect(Booking.booked).toBe(before + 1);
  });

  it('refuses a changed state before the method runs again (-32602)', async () => {
    const first = resultOf((await book()).messages);
    const before = Booking.booked;
    const { messages } = await book({
      inputResponses: { 'elicitation-1': accepted({ ok: true }) },
      requestState: `${String(first['requestState'])}x`,
    });
    expect(messages[0]?.error).toMatchObject({ code: -32602, message: expect.stringContaining('requestState') });
    expect(Booking.booked).toBe(before);
  });

  it('asks again for an answer of the wrong shape, and ignores answers to questions it did not ask', async () => {
    const again = resultOf((await book({ inputResponses: { 'elicitation-1': 42, unrelated: accepted({}) } })).messages);
    expect(again['resultType']).toBe('input_required');
    expect(Object.keys(again['inputRequests'] as object)).toEqual(['elicitation-1']);
  });

  it('refuses a method needing a capability the client did not declare (-32021, HTTP 400)', async () => {
    const { status, messages } = await post(
      url,
      'tools/call',
      { name: 'summarize', arguments: { text: 'long' } },
      { meta: ELICIT },
    );
    expect(status).toBe(400);
    expect(messages[0]?.error).toMatchObject({ code: -32021, data: { requiredCapabilities: { sampling: {} } } });
    expect(messages[0]?.error?.message).toContain('sampling');
  });

  it('answers a declined question as the method decides (no more rounds)', async () => {
    const done = resultOf((await book({ inputResponses: { 'elicitation-1': { action: 'decline' } } })).messages);
    expect(texts(done)).toEqual(['Not booked.']);
  });
});
