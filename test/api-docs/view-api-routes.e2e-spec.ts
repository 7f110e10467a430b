// Issue 3: where the View API page and the usage analytics are served (the page's rendering is checked in a real
// browser by view-api.browser.e2e-spec.ts).
import { AppModule as CalculatorModule } from '../../apps/calculator/app.module.js';
import { SHOWCASE_OPTIONS } from '../../src/app.module.js';
import { rawRequest } from '../support/http.js';
import { startGradioApp, startModule, type RunningApp } from '../support/start-app.js';

async function page(url: string): Promise<{ status: number; type: string | null; html: string }> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), html: await response.text() };
}

/** Runs a call through the curl protocol to its end. */
async function call(url: string, name: string, body: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${url}/gradio_api/call/v2/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const { event_id: eventId } = (await response.json()) as { event_id: string };
  return (await fetch(`${url}/gradio_api/call/${name}/${eventId}`)).text();
}

describe('the View API page routes', () => {
  let showcase: RunningApp;

  beforeAll(async () => {
    showcase = await startGradioApp(SHOWCASE_OPTIONS);
  });

  afterAll(async () => {
    await showcase?.close();
  });

  it('serves the page at / and at /?view=api on the showcase', async () => {
    for (const path of ['/', '/?view=api', '/?view=api&lang=bash']) {
      const { status, type, html } = await page(`${showcase.url}${path}`);
      expect({ path, status, type }).toEqual({ path, status: 200, type: 'text/html; charset=utf-8' });
      expect(html).toContain('<title>nest-gradio showcase · API documentation</title>');
    }
  });

  it('answers ?view=api at / only: other routes keep their own answer', async () => {
    const config = await fetch(`${showcase.url}/config?view=api`);
    expect(config.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await config.json()) as { mode: string }).mode).toBe('server');
  });

  it('serves its script and stylesheet itself, as the files the page links', async () => {
    const { html } = await page(`${showcase.url}/?view=api`);
    const script = /<script src="([^"]+)"><\/script>/.exec(html)?.[1] ?? '';
    const styles = /<link rel="stylesheet" href="([^"]+)">/.exec(html)?.[1] ?? '';
    const js = await fetch(`${showcase.url}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain("'use strict'");
    const css = await fetch(`${showcase.url}${styles}`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('prefers-color-scheme: dark');
  });

  it('bakes the root URL the client used into the page, forwarded headers included', async () => {
    const { body } = await rawRequest(`${showcase.url}/?view=api`, {
      headers: { host: 'internal:1', 'x-forwarded-host': 'api.example.com', 'x-forwarded-proto': 'https' },
    });
    expect(body).toContain('data-root="https://api.example.com"');
  });

  it("answers /monitoring/summary in Gradio's shape once calls went through the queue", async () => {
    expect(await call(showcase.url, 'add', { a: 1, b: 2 })).toContain('event: complete');
    expect(await call(showcase.url, 'fail', { message: 'no' })).toContain('event: error');
    const response = await fetch(`${showcase.url}/monitoring/summary`);
    expect(response.status).toBe(200);
    const summary = (await response.json()) as { functions: Record<string, Record<string, unknown>> };
    expect(summary.functions['add']).toEqual({
      success_rate: 1,
      process_time_percentiles: { '50th': expect.any(Number), '90th': expect.any(Number), '99th': expect.any(Number) },
      total_requests: 1,
    });
    expect(summary.functions['fail']).toMatchObject({ success_rate: 0, total_requests: 1 });
  });
});

describe('the View API page next to an application that owns GET /', () => {
  let calculator: RunningApp;

  beforeAll(async () => {
    calculator = await startModule(CalculatorModule);
  });

  afterAll(async () => {
    await calculator?.close();
  });

  it('leaves / to the application and still answers /?view=api', async () => {
    expect((await page(`${calculator.url}/`)).html).toContain('<title>Calculator · nest-gradio</title>');
    expect((await page(`${calculator.url}/?view=other`)).html).toContain('<title>Calculator · nest-gradio</title>');
    const docs = await page(`${calculator.url}/?view=api`);
    expect(docs.status).toBe(200);
    expect(docs.html).toContain('<title>Calculator · API documentation</title>');
  });
});

describe('options of the page and the analytics', () => {
  it("servePage: false frees / but keeps /?view=api; enableMonitoring: false answers Gradio's 403", async () => {
    const app = await startGradioApp({ servePage: false, enableMonitoring: false });
    try {
      expect((await fetch(`${app.url}/`)).status).toBe(404);
      expect((await page(`${app.url}/?view=api`)).status).toBe(200);
      const monitoring = await fetch(`${app.url}/monitoring/summary`);
      expect(monitoring.status).toBe(403);
      expect(await monitoring.json()).toEqual({ detail: 'Monitoring is not enabled.' });
    } finally {
      await app.close();
    }
  });

  it('stays behind the login like the rest of Gradio: /?view=api shows the login page, the summary answers 401', async () => {
    const app = await startGradioApp({ auth: ['ada', 'secret'] });
    try {
      const { status, html } = await page(`${app.url}/?view=api`);
      expect(status).toBe(200);
      expect(html).not.toContain('API documentation');
      expect(html).toMatch(/login/i);
      expect((await fetch(`${app.url}/monitoring/summary`)).status).toBe(401);
      const login = await fetch(`${app.url}/login`, {
        method: 'POST',
        body: new URLSearchParams({ username: 'ada', password: 'secret' }),
      });
      const cookies = login.headers
        .getSetCookie()
        .map((cookie) => cookie.split(';')[0])
        .join('; ');
      const signedIn = await fetch(`${app.url}/?view=api`, { headers: { cookie: cookies } });
      expect(await signedIn.text()).toContain('API documentation');
      expect((await fetch(`${app.url}/monitoring/summary`, { headers: { cookie: cookies } })).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('links its assets under the root path behind a proxy', async () => {
    const app = await startGradioApp({ rootPath: '/app' });
    try {
      const { html } = await page(`${app.url}/?view=api`);
      expect(html).toMatch(/<script src="\/app\/gradio_api\/view_api\/page\.js\?v=\w+"><\/script>/);
    } finally {
      await app.close();
    }
  });
});
