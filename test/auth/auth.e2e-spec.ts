// Gradio's `auth` (docs/protocol.md#routes, docs/protocol.md#auth): login routes and cookies, the 401 of protected routes, the open ones,
// /config.username, the login page, logout, and the real clients' `auth` options.
import { Client, handle_file } from '@gradio/client';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GradioApi, GradioModule } from 'nest-gradio';
import { SHOWCASE_PROVIDERS } from '../../src/app.module.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import { freshDir, rawHttp, removeDir } from '../files/file-helpers.js';
import { PrivateController, WhoAmI } from './auth-endpoints.js';
import { runPythonClient } from './python-client.js';

const MESSAGE = 'Please log in with your team account';
const NOT_AUTHENTICATED = { detail: { error: 'Not authenticated', auth_message: MESSAGE } };

/** Every route Gradio protects with `login_check` that nest-gradio serves (docs/protocol.md#routes). */
const PROTECTED: [string, string, string?][] = [
  ['GET', '/config'],
  ['GET', '/gradio_api/info'],
  ['GET', '/gradio_api/openapi.json'],
  ['POST', '/gradio_api/queue/join', '{"data":["x"],"fn_index":0,"session_hash":"s"}'],
  ['GET', '/gradio_api/queue/data?session_hash=s'],
  ['GET', '/gradio_api/queue/status'],
  ['POST', '/gradio_api/call/hello', '{"data":["x"]}'],
  ['POST', '/gradio_api/call/v2/hello', '{"name":"x"}'],
  ['GET', '/gradio_api/call/hello/abc'],
  ['POST', '/gradio_api/run/hello', '{"data":["x"]}'],
  ['POST', '/gradio_api/api/hello', '{"data":["x"]}'],
  ['POST', '/gradio_api/upload'],
  ['GET', '/gradio_api/upload_progress?upload_id=x'],
  ['GET', '/gradio_api/file=/etc/passwd'],
  ['GET', '/gradio_api/file/etc/passwd'],
  ['GET', '/private'],
];

/** Routes Gradio leaves open (docs/protocol.md#auth), with what they answer without a login. */
const OPEN: [string, string, string | undefined, number][] = [
  ['POST', '/gradio_api/cancel', '{"session_hash":"s","fn_index":0,"event_id":"e"}', 200],
  ['POST', '/gradio_api/reset', '{"event_id":"e"}', 200],
  ['GET', '/gradio_api/startup-events', undefined, 200],
  ['GET', '/gradio_api/app_id', undefined, 200],
  ['GET', '/gradio_api/user', undefined, 200],
  ['GET', '/gradio_api/token', undefined, 200],
  ['GET', '/logout', undefined, 302],
];

function cookieHeader(setCookie: string[]): string {
  return setCookie.map((cookie) => cookie.split(';')[0]).join('; ');
}

async function login(url: string, username: string, password: string): Promise<Response> {
  return fetch(`${url}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
    redirect: 'manual',
  });
}

describe('auth: logins with username and password', () => {
  let app: RunningApp;
  let uploadDir: string;

  beforeAll(async () => {
    uploadDir = await freshDir();
    app = await startGradioApp(
      {
        auth: [
          ['admin', 'secret'],
          ['bob', 'b0b'],
        ],
        authMessage: MESSAGE,
        uploadDir,
      },
      [...SHOWCASE_PROVIDERS, WhoAmI],
      { controllers: [PrivateController] },
    );
  });

  afterAll(async () => {
    await app?.close();
    await removeDir(uploadDir);
  });

  it('answers every protected route with 401 and the auth message until the client logs in', async () => {
    for (const [method, path, body] of PROTECTED) {
      const answer = await rawHttp(app.url, path, {
        method,
        headers: body ? { 'Content-Type': 'application/json' } : {},
        body,
      });
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 401 });
      expect(JSON.parse(answer.body.toString())).toEqual(NOT_AUTHENTICATED);
    }
  });

  it('leaves the routes Gradio leaves open answering without a login', async () => {
    for (const [method, path, body, status] of OPEN) {
      const answer = await rawHttp(app.url, path, {
        method,
        headers: body ? { 'Content-Type': 'application/json' } : {},
        body,
      });
      expect({ method, path, status: answer.status }).toEqual({ method, path, status });
    }
    expect(JSON.parse((await rawHttp(app.url, '/gradio_api/user')).body.toString())).toBeNull();
    expect(JSON.parse((await rawHttp(app.url, '/gradio_api/token')).body.toString())).toEqual({
      token: null,
      user: null,
    });
    const check = await rawHttp(app.url, '/gradio_api/login_check');
    expect(check.status).toBe(401);
    expect(JSON.parse(check.body.toString())).toEqual(NOT_AUTHENTICATED);
    const heartbeat = await fetch(`${app.url}/gradio_api/heartbeat/s`);
    expect(heartbeat.status).toBe(200);
    await heartbeat.body?.cancel();
  });

  it('POST /login: wrong credentials → 400, missing fields → 422, right ones → both cookies', async () => {
    const wrong = await login(app.url, 'admin', 'nope');
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ detail: 'Incorrect credentials.' });
    expect((await login(app.url, 'nobody', 'secret')).status).toBe(400);
    const missing = await fetch(`${app.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ username: 'admin' }),
    });
    expect(missing.status).toBe(422);

    const right = await login(app.url, ' admin ', 'secret');
    expect(right.status).toBe(200);
    expect(await right.json()).toEqual({ success: true });
    const cookies = right.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    const secure = cookies.find((cookie) => /^access-token-(?!unsecure-)/.test(cookie)) ?? '';
    const plain = cookies.find((cookie) => cookie.startsWith('access-token-unsecure-')) ?? '';
    expect(secure).toMatch(/; HttpOnly/i);
    expect(secure).toMatch(/; Secure/i);
    expect(secure).toMatch(/; SameSite=None/i);
    expect(plain).toMatch(/; HttpOnly/i);
    expect(plain).not.toMatch(/; Secure/i);
    expect(secure.split(';')[0]?.split('=')[1]).toBe(plain.split(';')[0]?.split('=')[1]);
  });

  it('with the cookie: the API answers, /config.username and the handler know the user, and logout ends it', async () => {
    const session = cookieHeader((await login(app.url, 'bob', 'b0b')).headers.getSetCookie());
    // Over plain HTTP a browser sends only the cookie without Secure: that one must do.
    const plainOnly = session.split('; ').find((cookie) => cookie.startsWith('access-token-unsecure-')) as string;
    for (const cookie of [session, plainOnly]) {
      const config = await fetch(`${app.url}/config`, { headers: { Cookie: cookie } });
      expect(config.status).toBe(200);
      expect(((await config.json()) as { username: unknown }).username).toBe('bob');
    }
    expect(
      await (await fetch(`${app.url}/gradio_api/login_check`, { headers: { Cookie: plainOnly } })).json(),
    ).toBeNull();
    expect(await (await fetch(`${app.url}/gradio_api/user`, { headers: { Cookie: plainOnly } })).json()).toBe('bob');
    const token = (await (await fetch(`${app.url}/gradio_api/token`, { headers: { Cookie: session } })).json()) as {
      user: string;
    };
    expect(token.user).toBe('bob');
    expect((await fetch(`${app.url}/private`, { headers: { Cookie: plainOnly } })).status).toBe(200);

    const posted = await fetch(`${app.url}/gradio_api/call/v2/whoami`, {
      method: 'POST',
      headers: { Cookie: plainOnly, 'Content-Type': 'application/json' },
      body: '{}',
    });
    const { event_id: eventId } = (await posted.json()) as { event_id: string };
    const stream = await (
      await fetch(`${app.url}/gradio_api/call/whoami/${eventId}`, { headers: { Cookie: plainOnly } })
    ).text();
    expect(stream).toContain('data: ["bob"]');

    const logout = await fetch(`${app.url}/logout`, { headers: { Cookie: plainOnly }, redirect: 'manual' });
    expect(logout.status).toBe(302);
    expect(logout.headers.get('location')).toBe(app.url);
    expect(logout.headers.getSetCookie().every((cookie) => /Expires=Thu, 01 Jan 1970/i.test(cookie))).toBe(true);
    expect((await fetch(`${app.url}/config`, { headers: { Cookie: plainOnly } })).status).toBe(401);
  });

  it('ignores cookies it did not issue', async () => {
    const config = await fetch(`${app.url}/config`, {
      headers: { Cookie: 'access-token-forged=abc; access-token-unsecure-forged=abc' },
    });
    expect(config.status).toBe(401);
  });

  it('shows the login page at / to a browser without a login, and the app page after logging in', async () => {
    const page = await fetch(`${app.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<form id="login">');
    expect(html).toContain(MESSAGE);
    const session = cookieHeader((await login(app.url, 'admin', 'secret')).headers.getSetCookie());
    const appPage = await (await fetch(`${app.url}/`, { headers: { Cookie: session } })).text();
    expect(appPage).not.toContain('<form id="login">');
  });

  it('JS client: Client.connect(url, { auth }) logs in and calls, files included; without it, connect fails', async () => {
    const client = await Client.connect(app.url, { auth: ['admin', 'secret'] });
    expect((await client.predict('/whoami', {})).data).toEqual(['admin']);
    expect((await client.predict('/add', { a: 2, b: 3 })).data).toEqual([5]);
    const reversed = await client.predict('/reverse_file', { file: handle_file(Buffer.from('abc')) });
    const [output] = reversed.data as [{ url: string }];
    const cookie = cookieHeader((await login(app.url, 'admin', 'secret')).headers.getSetCookie());
    expect(await (await fetch(output.url, { headers: { Cookie: cookie } })).text()).toBe('cba');
    await expect(Client.connect(app.url)).rejects.toThrow();
    await expect(Client.connect(app.url, { auth: ['admin', 'wrong'] })).rejects.toThrow();
  });

  it('Python client: Client(url, auth=(user, password)) logs in, calls, uploads and downloads', async () => {
    const result = await runPythonClient<{ who: string; reversed: string; refused: string }>(
      `
import json, sys, tempfile, pathlib
from gradio_client import Client, handle_file
from gradio_client.exceptions import AuthenticationError
args = json.load(sys.stdin)
client = Client(args["url"], auth=("admin", "secret"), verbose=False)
source = pathlib.Path(tempfile.mkdtemp()) / "py.txt"
source.write_text("python")
out = {"who": client.predict(api_name="/whoami"),
       "reversed": pathlib.Path(client.predict(handle_file(str(source)), api_name="/reverse_file")).read_text()}
client.close()
try:
    Client(args["url"], verbose=False)
    out["refused"] = "no"
except AuthenticationError as error:
    out["refused"] = "AuthenticationError"
print(json.dumps(out))
`,
      { url: app.url },
    );
    expect(result).toEqual({ who: 'admin', reversed: 'nohtyp', refused: 'AuthenticationError' });
  }, 180_000);
});

describe("the application's own Nest guards", () => {
  @Injectable()
  class ApiKeyGuard implements CanActivate {
    canActivate(context: ExecutionContext): boolean {
      return context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers['x-api-key'] === 'k3y';
    }
  }

  /** Counts the runs of its handler, to show that a refused request never reaches it. */
  @Injectable()
  class CountedHello {
    runs = 0;
    @GradioApi({ name: 'counted_hello', returns: String })
    countedHello(name: string): string {
      this.runs++;
      return `Hello, ${name}!`;
    }
  }

  it('apply to every Gradio route (queue, call, run, info, files, upload, login); a refused call never runs', async () => {
    const uploadDir = await freshDir();
    const app = await startGradioApp({ uploadDir }, [
      WhoAmI,
      CountedHello,
      { provide: APP_GUARD, useClass: ApiKeyGuard },
    ]);
    try {
      const json = { 'Content-Type': 'application/json' };
      for (const [method, path, body] of [
        ...PROTECTED.filter(([, route]) => route !== '/private').map(([method, route]) => [
          method,
          route.replace('hello', 'counted_hello'),
        ]),
        ...OPEN.map(([method, route, body]) => [method, route, body]),
        ['GET', '/gradio_api/heartbeat/s'],
        ['GET', '/gradio_api/login_check'],
        ['POST', '/gradio_api/queue/join', '{"data":["x"],"fn_index":1,"session_hash":"s"}'],
        ['POST', '/gradio_api/call/v2/counted_hello', '{"name":"x"}'],
        ['POST', '/login'],
      ] as [string, string, string?][]) {
        const answer = await rawHttp(app.url, path, { method, headers: body ? json : {}, body: body ?? undefined });
        expect({ method, path, status: answer.status }).toEqual({ method, path, status: 403 });
      }
      const form = new FormData();
      form.append('files', new Blob(['with key']), 'key.txt');
      const uploaded = await fetch(`${app.url}/gradio_api/upload`, {
        method: 'POST',
        body: form,
        headers: { 'X-Api-Key': 'k3y' },
      });
      expect(uploaded.status).toBe(200);
      const counted = app.app.get(CountedHello);
      expect(counted.runs).toBe(0);
      // A real client that sends the key gets through.
      const client = await Client.connect(app.url, { headers: { 'X-Api-Key': 'k3y' } });
      expect((await client.predict('/counted_hello', { name: 'guard' })).data).toEqual(['Hello, guard!']);
      expect(counted.runs).toBe(1);
      await expect(Client.connect(app.url)).rejects.toThrow();
    } finally {
      await app.close();
      await removeDir(uploadDir);
    }
  });
});

describe('auth: other ways to configure it', () => {
  it('takes an async function as `auth`', async () => {
    const app = await startGradioApp(
      { auth: async (username: string, password: string) => username === password.toUpperCase() },
      [WhoAmI],
    );
    try {
      expect((await login(app.url, 'ADA', 'ada')).status).toBe(200);
      expect((await login(app.url, 'ada', 'ada')).status).toBe(400);
    } finally {
      await app.close();
    }
  });

  it('answers POST /login with a redirect home when logins are off', async () => {
    const app = await startGradioApp({}, [WhoAmI]);
    try {
      const answer = await login(app.url, 'a', 'b');
      expect(answer.status).toBe(302);
      expect(answer.headers.get('location')).toBe(app.url);
      expect(await (await fetch(`${app.url}/gradio_api/login_check`)).json()).toBeNull();
    } finally {
      await app.close();
    }
  });

  it('refuses auth together with authDependency, and malformed auth, at bootstrap', () => {
    expect(() => GradioModule.forRoot({ auth: ['a', 'b'], authDependency: () => 'a' })).toThrow(
      /cannot be used together/,
    );
    expect(() => GradioModule.forRoot({ auth: [] as unknown as [string, string] })).toThrow(
      /must be \[username, password\]/,
    );
  });
});
