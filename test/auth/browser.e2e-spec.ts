// Auth and CORS in a real browser (Chromium): the login page logs a user in, and pages on other origins can read
// the API only when CORS allows their origin (docs/protocol.md#auth, docs/protocol.md#cors).
import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startGradioApp } from '../support/start-app.js';
import { WhoAmI } from './auth-endpoints.js';

const BROWSER_TIMEOUT = 120_000;

/** A page that fetches `target` with the user's cookies and shows whether the browser let it read the answer. */
function probePage(target: string): string {
  return `<!doctype html><meta charset="utf-8"><pre id="result">pending</pre><script>
fetch(${JSON.stringify(target)}, { credentials: 'include' })
  .then((response) => response.json())
  .then((config) => { document.getElementById('result').textContent = 'read:' + config.protocol; })
  .catch(() => { document.getElementById('result').textContent = 'blocked'; });
</script>`;
}

async function servePage(host: string, html: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) =>
    response.writeHead(200, { 'Content-Type': 'text/html' }).end(html),
  );
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, url: `http://${host}:${(server.address() as { port: number }).port}` };
}

describe('auth and CORS in a real browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  }, BROWSER_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
  });

  it(
    'logs in through the login page at /, then shows the app page',
    async () => {
      const app = await startGradioApp(
        { auth: ['ada', 'lovelace'], authMessage: 'Team members only', title: 'Secret app' },
        [WhoAmI],
      );
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${app.url}/`);
        await page.getByText('Team members only').waitFor();
        await page.fill('input[name=username]', 'ada');
        await page.fill('input[name=password]', 'wrong');
        await page.click('button[type=submit]');
        await page.getByText('Incorrect credentials.').waitFor();
        await page.fill('input[name=password]', 'lovelace');
        await Promise.all([page.waitForEvent('load'), page.click('button[type=submit]')]);
        expect(await page.locator('form#login').count()).toBe(0);
        const cookies = await context.cookies(app.url);
        expect(cookies.map((cookie) => cookie.name).some((name) => name.startsWith('access-token-unsecure-'))).toBe(
          true,
        );
        // The browser's cookie opens the API.
        const config = await page.evaluate(async () => (await fetch('/config')).json());
        expect((config as { username: string }).username).toBe('ada');
      } finally {
        await context.close();
        await app.close();
      }
    },
    BROWSER_TIMEOUT,
  );

  it(
    'lets a page on localhost read the API, and keeps a page on another origin from reading it',
    async () => {
      const app = await startGradioApp({}, [WhoAmI]);
      const target = `${app.url}/config`;
      // 127.0.0.2 is this machine too, but not a name the CORS rules treat as localhost: a foreign origin.
      const foreign = await servePage('127.0.0.2', probePage(target));
      const local = await servePage('127.0.0.1', probePage(target));
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(local.url.replace('127.0.0.1', 'localhost'));
        await page.locator('#result', { hasText: /^(read:|blocked)/ }).waitFor();
        expect(await page.textContent('#result')).toBe('read:sse_v3');
        await page.goto(foreign.url);
        await page.locator('#result', { hasText: /^(read:|blocked)/ }).waitFor();
        expect(await page.textContent('#result')).toBe('blocked');
      } finally {
        await context.close();
        await new Promise((resolve) => foreign.server.close(resolve));
        await new Promise((resolve) => local.server.close(resolve));
        await app.close();
      }
    },
    BROWSER_TIMEOUT,
  );
});
