// Nest guards and interceptors apply to MCP calls as to any route, and the handler's context exposes the MCP
// request's headers, so that an app can authenticate agents (issue 4, item 5).
import {
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { Request } from 'express';
import { Ctx, McpTool, type EventContext } from 'nest-gradio';
import type { Observable } from 'rxjs';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import { texts, TRANSPORTS } from './mcp-clients.js';

const AGENT_KEY = 'x-agent-key';
const SECRET = 'let-me-in';

/** Lets through only requests that carry the agent key. */
@Injectable()
class AgentKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest<Request>().headers[AGENT_KEY] === SECRET;
  }
}

/** Records every request an interceptor saw. */
const intercepted: string[] = [];

@Injectable()
class RecordingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    // The URL's path, as both adapters' requests have it (Express's `request.path` is its own).
    intercepted.push(`${request.method} ${new URL(request.originalUrl, 'http://localhost').pathname}`);
    return next.handle();
  }
}

@Injectable()
class WhoAmI {
  @McpTool({ description: "Tell the caller's agent key and request path." })
  whoami(@Ctx() ctx: EventContext): string {
    return `${String(ctx.request.headers[AGENT_KEY])} ${String(ctx.request.username)} ${ctx.request.url}`;
  }
}

let app: RunningApp;

beforeAll(async () => {
  app = await startGradioApp({ mcpServer: true }, [WhoAmI], {
    providers: [
      { provide: APP_GUARD, useClass: AgentKeyGuard },
      { provide: APP_INTERCEPTOR, useClass: RecordingInterceptor },
    ],
  });
});

afterAll(async () => {
  await app.close();
});

describe.each(TRANSPORTS)('a global guard requiring a header, over %s', (_name, connect) => {
  it('refuses agents without the header', async () => {
    await expect(connect(app.url)).rejects.toThrow(/403|Forbidden/);
  });

  it("lets agents with the header call tools, whose context sees the MCP request's headers", async () => {
    const client = await connect(app.url, { headers: { [AGENT_KEY]: SECRET } });
    try {
      const [text] = texts(await client.callTool({ name: 'whoami', arguments: {} }));
      expect(text).toMatch(new RegExp(`^${SECRET} null /gradio_api/mcp/`));
    } finally {
      await client.close();
    }
  });
});

describe('guards and interceptors on the MCP routes', () => {
  it('answer a request without the header with 403 before any MCP handling', async () => {
    const response = await fetch(`${app.url}/gradio_api/mcp/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(403);
  });

  it('see the MCP requests', () => {
    expect(intercepted).toContain('POST /gradio_api/mcp/');
    expect(intercepted).toContain('GET /gradio_api/mcp/sse');
    expect(intercepted.some((entry) => entry.startsWith('POST /gradio_api/mcp/messages'))).toBe(true);
  });
});

describe("Gradio's own auth (authDependency) on the MCP routes", () => {
  let authApp: RunningApp;
  beforeAll(async () => {
    authApp = await startGradioApp(
      { mcpServer: true, authDependency: (request) => (request.headers['x-user'] as string | undefined) ?? null },
      [WhoAmI],
    );
  });
  afterAll(() => authApp.close());

  it.each(TRANSPORTS)('refuses anonymous agents over %s', async (_name, connect) => {
    await expect(connect(authApp.url)).rejects.toThrow(/401|Not authenticated/);
    expect((await fetch(`${authApp.url}/gradio_api/mcp/schema`)).status).toBe(401);
  });

  it.each(TRANSPORTS)("gives the handler the agent's user over %s", async (_name, connect) => {
    const client = await connect(authApp.url, { headers: { 'x-user': 'alice' } });
    try {
      expect(texts(await client.callTool({ name: 'whoami', arguments: {} }))[0]).toMatch(
        /^undefined alice \/gradio_api\/mcp\//,
      );
    } finally {
      await client.close();
    }
  });
});
