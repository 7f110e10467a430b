import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@gradio/client';
import type { Browser, Page } from 'playwright-core';
import { AppModule as CalculatorModule } from '../apps/calculator/app.module.js';
import { AppModule as HelloModule } from '../apps/hello/app.module.js';
import { launchChromium } from './support/browser.js';
import { startModule, type RunningApp } from './support/start-app.js';

const SCREENSHOT = fileURLToPath(new URL('./artifacts/calculator.png', import.meta.url));
const CLIENT_DIST = dirname(createRequire(import.meta.url).resolve('@gradio/client/browser.js'));
const BROWSER_TIMEOUT = 30_000;

describe('apps/hello', () => {
  let hello: RunningApp;

  beforeAll(async () => {
    hello = await startModule(HelloModule);
  });

  afterAll(async () => {
    await hello?.close();
  });

  it('answers the real @gradio/client', async () => {
    const client = await Client.connect(hello.url);
    try {
      const result = await client.predict('/hello', { name: 'World' });
      expect(result.data).toEqual(['Hello, World!']);
    } finally {
      client.close();
    }
  });

  it('serves the library page at / (it has no page of its own)', async () => {
    const response = await fetch(`${hello.url}/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/<title>Hello\b/); // the title given to GradioModule.forRoot
    expect(html).toContain('/hello');
  });
});

describe('apps/calculator', () => {
  let calculator: RunningApp;

  beforeAll(async () => {
    calculator = await startModule(CalculatorModule);
  });

  afterAll(async () => {
    await calculator?.close();
  });

  it('serves its own page at /, not the library page', async () => {
    const response = await fetch(`${calculator.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<title>Calculator · nest-gradio</title>');
    expect(html).toContain("from './vendor/gradio-client/browser.js'");
  });

  it('serves the @gradio/client browser bundle and every chunk it imports as JavaScript', async () => {
    const bundle = await readFile(join(CLIENT_DIST, 'browser.js'), 'utf8');
    // Static and dynamic imports of sibling files; the bundle has no bare imports.
    const chunks = [...bundle.matchAll(/(?:from|import\()\s*["']\.\/([^"']+)["']/g)].map((match) => match[1]);
    expect(chunks.length).toBeGreaterThan(0);
    for (const file of ['browser.js', ...new Set(chunks)]) {
      const response = await fetch(`${calculator.url}/vendor/gradio-client/${file}`);
      expect({ file, status: response.status }).toEqual({ file, status: 200 });
      expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(await response.text()).toBe(await readFile(join(CLIENT_DIST, file), 'utf8'));
    }
  });

  it('serves nothing else from the client folder', async () => {
    for (const file of ['package.json', '..%2Fpackage.json', 'index.cjs', 'missing.js']) {
      const response = await fetch(`${calculator.url}/vendor/gradio-client/${file}`);
      expect({ file, status: response.status }).toEqual({ file, status: 404 });
    }
  });

  it('still answers the real @gradio/client', async () => {
    const client = await Client.connect(calculator.url);
    try {
      expect((await client.predict('/add', { a: 3, b: 5 })).data).toEqual([8]);
      expect((await client.predict('/multiply', { a: 3, b: 5 })).data).toEqual([15]);
    } finally {
      client.close();
    }
  });

  describe('in a real browser', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await launchChromium();
    }, BROWSER_TIMEOUT);

    afterAll(async () => {
      await browser?.close();
    });

    /** Opens the page in a fresh context, recording every URL the browser requests. */
    async function openPage(colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; requests: string[] }> {
      const context = await browser.newContext({ colorScheme });
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(`${calculator.url}/`);
      return { page, requests };
    }

    async function waitForResult(page: Page, value: string): Promise<void> {
      await page.locator('#result', { hasText: new RegExp(`^${value}$`) }).waitFor();
    }

    it(
      'adds and multiplies with the buttons',
      async () => {
        const { page } = await openPage();
        try {
          await page.getByLabel('First number').fill('3');
          await page.getByLabel('Second number').fill('5');
          await page.getByRole('button', { name: 'Add', exact: true }).click();
          await waitForResult(page, '8');
          expect(await page.locator('#expression').textContent()).toBe('3 + 5 =');

          await page.getByRole('button', { name: 'Multiply', exact: true }).click();
          await waitForResult(page, '15');
          expect(await page.locator('#expression').textContent()).toBe('3 × 5 =');
          expect(await page.locator('#error').isHidden()).toBe(true);

          await mkdir(dirname(SCREENSHOT), { recursive: true });
          await page.screenshot({ path: SCREENSHOT, fullPage: true });
        } finally {
          await page.context().close();
        }
      },
      BROWSER_TIMEOUT,
    );

    it(
      'works from the keyboard alone (Enter submits with Add)',
      async () => {
        const { page } = await openPage('dark');
        try {
          await page.getByLabel('First number').focus();
          await page.keyboard.type('6');
          await page.keyboard.press('Tab');
          await page.keyboard.type('7');
          await page.keyboard.press('Enter');
          await waitForResult(page, '13');
        } finally {
          await page.context().close();
        }
      },
      BROWSER_TIMEOUT,
    );

    it(
      "shows the server's validation error, then recovers",
      async () => {
        const { page } = await openPage();
        try {
          await page.getByLabel('First number').fill('2.5');
          await page.getByLabel('Second number').fill('1');
          await page.getByRole('button', { name: 'Add', exact: true }).click();
          const alert = page.getByRole('alert');
          await alert.waitFor();
          expect(await alert.textContent()).toContain('a must be an integer');

          await page.getByLabel('First number').fill('2');
          await page.getByRole('button', { name: 'Add', exact: true }).click();
          await waitForResult(page, '3');
          expect(await alert.isHidden()).toBe(true);
        } finally {
          await page.context().close();
        }
      },
      BROWSER_TIMEOUT,
    );

    it(
      'asks for numbers when a field is empty, without calling the server',
      async () => {
        const { page, requests } = await openPage();
        try {
          await page.getByLabel('First number').fill('4');
          await page.getByRole('button', { name: 'Multiply', exact: true }).click();
          const alert = page.getByRole('alert');
          await alert.waitFor();
          expect(await alert.textContent()).toContain('Enter a whole number in both fields');
          expect(await page.getByLabel('Second number').getAttribute('aria-invalid')).toBe('true');
          expect(requests.some((url) => url.includes('/queue/join'))).toBe(false);
        } finally {
          await page.context().close();
        }
      },
      BROWSER_TIMEOUT,
    );

    it(
      'loads nothing from any host but the app',
      async () => {
        const { page, requests } = await openPage();
        try {
          await page.getByLabel('First number').fill('2');
          await page.getByLabel('Second number').fill('2');
          await page.getByRole('button', { name: 'Add', exact: true }).click();
          await waitForResult(page, '4');

          const origin = new URL(calculator.url).origin;
          expect(requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
          // The client really came from the app, and really talked to it.
          const paths = requests.map((url) => new URL(url).pathname);
          expect(paths).toEqual(
            expect.arrayContaining([
              '/',
              '/vendor/gradio-client/browser.js',
              '/config',
              '/gradio_api/info',
              '/gradio_api/queue/join',
            ]),
          );
        } finally {
          await page.context().close();
        }
      },
      BROWSER_TIMEOUT,
    );
  });
});
