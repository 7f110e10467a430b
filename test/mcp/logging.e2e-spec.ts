// MCP logging (docs/mcp.md#logging): a handler's alerts reach MCP clients as `notifications/message`, with the
// level and the tool, resource or prompt as the logger, filtered by the level the connection set.
import { Injectable } from '@nestjs/common';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import {
  ErrorCode,
  LoggingMessageNotificationSchema,
  type LoggingLevel,
  type LoggingMessageNotification,
  type Progress,
} from '@modelcontextprotocol/sdk/types.js';
import { Ctx, McpPrompt, McpResource, McpTool, type EventContext } from 'nest-gradio';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import { connectSse, connectStreamableHttp, texts, TRANSPORTS } from './mcp-clients.js';

type LogParams = LoggingMessageNotification['params'];

@Injectable()
class Chatty {
  /** Reports one alert of each kind, then answers. */
  @McpTool()
  chatty(@Ctx() ctx: EventContext): string {
    ctx.info('Starting.');
    ctx.warning('Running low on tea.');
    ctx.success('All done.');
    ctx.info('The cache was cold.', { title: 'Cache' });
    return 'ok';
  }

  @McpResource('notes://{topic}')
  note(topic: string, @Ctx() ctx: EventContext): string {
    ctx.info(`Looking up ${topic}.`);
    return `A note about ${topic}.`;
  }

  @McpPrompt()
  greet(name: string, @Ctx() ctx: EventContext): string {
    ctx.warning(`Greeting ${name} loudly.`);
    return `Say hello to ${name}.`;
  }
}

/** Collects the log messages a client receives. */
function logsOf(client: Client): LogParams[] {
  const received: LogParams[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    received.push(notification.params);
  });
  return received;
}

const ALL_ALERTS: LogParams[] = [
  { level: 'info', logger: 'chatty', data: 'Starting.' },
  { level: 'warning', logger: 'chatty', data: 'Running low on tea.' },
  { level: 'notice', logger: 'chatty', data: 'All done.' },
  { level: 'info', logger: 'chatty', data: 'Cache: The cache was cold.' },
];

let app: RunningApp;
beforeAll(async () => {
  app = await startGradioApp({ mcpServer: true }, [Chatty]);
});
afterAll(() => app.close());

describe.each(TRANSPORTS)('MCP logging over %s', (_transport, connect) => {
  let client: Client;
  let received: LogParams[];
  beforeEach(async () => {
    client = await connect(app.url);
    received = logsOf(client);
  });
  afterEach(() => client.close());

  it('declares the logging capability', () => {
    expect(client.getServerCapabilities()?.logging).toEqual({});
  });

  it("sends a tool's alerts as log messages, before the result, with the tool as the logger", async () => {
    const result = await client.callTool({ name: 'chatty', arguments: {} });
    // Everything the call sent is in before its result is.
    expect(received).toEqual(ALL_ALERTS);
    expect(texts(result)).toEqual(['ok']);
  });

  it('logs the alerts of resource reads and prompts under their names', async () => {
    await client.readResource({ uri: 'notes://tea' });
    await client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } });
    expect(received).toEqual([
      { level: 'info', logger: 'note', data: 'Looking up tea.' },
      { level: 'warning', logger: 'greet', data: 'Greeting Ada loudly.' },
    ]);
  });

  it('answers an unknown level with an invalid-params error that lists the levels', async () => {
    const refusal = client.setLoggingLevel('loud' as LoggingLevel);
    await expect(refusal).rejects.toBeInstanceOf(McpError);
    await expect(refusal).rejects.toMatchObject({ code: ErrorCode.InvalidParams });
    await expect(refusal).rejects.toThrow(
      'Unknown logging level "loud"; the levels are debug, info, notice, warning, error, critical, alert, emergency.',
    );
  });
});

describe('the logging level of a legacy SSE session', () => {
  let client: Client;
  let received: LogParams[];
  beforeEach(async () => {
    client = await connectSse(app.url);
    received = logsOf(client);
  });
  afterEach(() => client.close());

  it('holds for the later calls of the session: only messages at or above it are sent', async () => {
    await client.setLoggingLevel('warning');
    await client.callTool({ name: 'chatty', arguments: {} });
    expect(received).toEqual([{ level: 'warning', logger: 'chatty', data: 'Running low on tea.' }]);

    received.length = 0;
    await client.setLoggingLevel('notice');
    await client.callTool({ name: 'chatty', arguments: {} });
    expect(received).toEqual([
      { level: 'warning', logger: 'chatty', data: 'Running low on tea.' },
      { level: 'notice', logger: 'chatty', data: 'All done.' },
    ]);

    received.length = 0;
    await client.setLoggingLevel('error');
    await client.callTool({ name: 'chatty', arguments: {} });
    await client.readResource({ uri: 'notes://tea' });
    expect(received).toEqual([]);
  });

  it('keeps the level of each session to itself', async () => {
    await client.setLoggingLevel('emergency');
    const other = await connectSse(app.url);
    const otherReceived = logsOf(other);
    try {
      await other.callTool({ name: 'chatty', arguments: {} });
      await client.callTool({ name: 'chatty', arguments: {} });
    } finally {
      await other.close();
    }
    expect(otherReceived).toEqual(ALL_ALERTS);
    expect(received).toEqual([]);
  });
});

describe('MCP logging over stateless streamable HTTP', () => {
  // Over SSE, the SDK's client drops progress that arrives in the same chunk as the result (it handles the result
  // first), so a tool this fast is followed over streamable HTTP only.
  it('still shows the alerts as progress text to a client that follows progress', async () => {
    const client = await connectStreamableHttp(app.url);
    const received = logsOf(client);
    const updates: Progress[] = [];
    await client.callTool({ name: 'chatty', arguments: {} }, undefined, {
      onprogress: (progress) => updates.push(progress),
    });
    expect(updates.map((update) => update.message)).toEqual(
      expect.arrayContaining(['Info: Starting.', 'Warning: Running low on tea.', 'Success: All done.']),
    );
    await client.close();
    expect(received).toEqual(ALL_ALERTS);
  });

  it('reports the progress of prompts and resource reads for a progress token too', async () => {
    const client = await connectStreamableHttp(app.url);
    const updates: Progress[] = [];
    const onprogress = (progress: Progress): void => void updates.push(progress);
    try {
      await client.readResource({ uri: 'notes://tea' }, { onprogress });
      await client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } }, { onprogress });
    } finally {
      await client.close();
    }
    expect(updates.map((update) => update.message)).toEqual(
      expect.arrayContaining(['Info: Looking up tea.', 'Warning: Greeting Ada loudly.']),
    );
  });

  it("holds only for the POST that set it: a later call sends every level (the README's MCP server section)", async () => {
    const client = await connectStreamableHttp(app.url);
    const received = logsOf(client);
    try {
      await client.setLoggingLevel('error');
      await client.callTool({ name: 'chatty', arguments: {} });
    } finally {
      await client.close();
    }
    expect(received).toEqual(ALL_ALERTS);
  });
});
