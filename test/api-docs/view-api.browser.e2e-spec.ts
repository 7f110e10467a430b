// Issue 3: the View API page in a real browser (playwright-core + Debian's chromium): every public endpoint and no
// other, tabs driven by ?lang=, copy buttons, the MCP tab on and off, the empty state, light and dark, a phone
// width, keyboard use and a strict CSP; screenshots of every tab at desktop and phone width under
// test/artifacts/view-api/, checked for content.
import 'reflect-metadata';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GradioApi, GradioModule, setupGradioDocs } from 'nest-gradio';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SHOWCASE_OPTIONS, SHOWCASE_PROVIDERS } from '../../src/app.module.js';
import { ParityProbes } from '../parity/parity-probes.service.js';
import { launchChromium } from '../support/browser.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

const SCREENSHOTS = join(process.cwd(), 'test', 'artifacts', 'view-api');
const TABS = ['python', 'javascript', 'bash', 'cli', 'mcp'] as const;
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
const TIMEOUT = 60_000;

/**
 * Runs in the browser (which decodes the PNG): its width, how many colours it has and the share of pixels that
 * differ from the top-left one — a blank or single-colour screenshot has few colours and no ink.
 */
const IMAGE_STATS = `async (source) => {
  const image = new Image();
  image.src = source;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, image.width, image.height).data;
  const colours = new Set();
  let differing = 0;
  for (let index = 0; index < pixels.length; index += 4) {
    colours.add((pixels[index] << 16) | (pixels[index + 1] << 8) | pixels[index + 2]);
    if (Math.abs(pixels[index] - pixels[0]) + Math.abs(pixels[index + 1] - pixels[1]) + Math.abs(pixels[index + 2] - pixels[2]) > 24) differing += 1;
  }
  return { width: image.width, colours: colours.size, share: differing / (pixels.length / 4) };
}`;

type Info = { named_endpoints: Record<string, { code_snippets: Record<string, string> }> };

@Injectable()
class HiddenOnly {
  @GradioApi({ name: 'undoc', apiVisibility: 'undocumented' })
  undoc(): string {
    return 'u';
  }

  @GradioApi({ name: 'priv', apiVisibility: 'private' })
  priv(): string {
    return 'p';
  }
}

async function openPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url);
  await page.locator('#panel').waitFor();
  (page as Page & { errors: string[] }).errors = errors;
  return page;
}

/**
 * A query parameter of the page's URL as the page itself sees it. Not `page.url()`: Playwright hears of a
 * history.replaceState a moment after the key or click that caused it, so it can still show the previous URL.
 */
function queryOf(page: Page, name: string): Promise<string | null> {
  return page.evaluate<string | null>(`new URL(location.href).searchParams.get(${JSON.stringify(name)})`);
}

function errorsOf(page: Page): string[] {
  return (page as Page & { errors?: string[] }).errors ?? [];
}

describe('the View API page in a browser', () => {
  let browser: Browser;
  let showcase: RunningApp;
  let info: Info;
  let mcpTools: { name: string }[];

  beforeAll(async () => {
    browser = await launchChromium();
    showcase = await startGradioApp(SHOWCASE_OPTIONS, [...SHOWCASE_PROVIDERS, ParityProbes]);
    info = (await (await fetch(`${showcase.url}/gradio_api/info`)).json()) as Info;
    mcpTools = (await (await fetch(`${showcase.url}/gradio_api/mcp/schema`)).json()) as { name: string }[];
    await rm(SCREENSHOTS, { recursive: true, force: true });
    await mkdir(SCREENSHOTS, { recursive: true });
  }, TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await showcase?.close();
  });

  it(
    'lists every public endpoint, in order, and no undocumented or private one',
    async () => {
      const context = await browser.newContext();
      try {
        const page = await openPage(context, `${showcase.url}/?view=api&lang=python`);
        const cards = await page.locator('article.endpoint h2 code').allTextContents();
        expect(cards).toEqual(Object.keys(info.named_endpoints));
        expect(cards).not.toContain('/undoc');
        expect(cards).not.toContain('/priv');
        expect(await page.locator('#banner-count').textContent()).toBe(`${cards.length} API endpoints`);
        // Each card: its description, a parameter table, the returns and the snippet of the tab.
        const add = page.locator('#endpoint-add');
        expect(await add.locator('.description').textContent()).toBe('Add two numbers together.');
        expect(await add.locator('table').first().locator('tbody tr').allTextContents()).toEqual([
          'aintRequired—',
          'bintRequired—',
        ]);
        expect(await add.locator('pre').textContent()).toBe(info.named_endpoints['/add']?.code_snippets['python']);
        const slowEcho = page.locator('#endpoint-slow_echo tbody tr').nth(1);
        expect(await slowEcho.textContent()).toBe('secondsfloatDefault: 1—');
        expect(errorsOf(page)).toEqual([]);
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );

  it(
    'switches tabs by click and by keyboard, and keeps ?lang= in step',
    async () => {
      const context = await browser.newContext();
      try {
        const page = await openPage(context, `${showcase.url}/?view=api&lang=bash`);
        expect(await page.locator('[role="tab"][aria-selected="true"]').textContent()).toBe('cURL');
        expect(await page.locator('#endpoint-hello pre').textContent()).toBe(
          info.named_endpoints['/hello']?.code_snippets['bash'],
        );
        await page.locator('#tab-javascript').click();
        expect(await queryOf(page, 'lang')).toBe('javascript');
        expect(await queryOf(page, 'view')).toBe('api');
        expect(await page.locator('#endpoint-hello pre').textContent()).toBe(
          info.named_endpoints['/hello']?.code_snippets['javascript'],
        );
        // Arrow keys move along the tabs (and wrap), Home and End jump.
        await page.locator('#tab-javascript').focus();
        await page.keyboard.press('ArrowRight');
        expect(await queryOf(page, 'lang')).toBe('bash');
        expect(await page.evaluate<string>('document.activeElement && document.activeElement.id')).toBe('tab-bash');
        await page.keyboard.press('End');
        expect(await queryOf(page, 'lang')).toBe('mcp');
        await page.keyboard.press('ArrowRight');
        expect(await queryOf(page, 'lang')).toBe('python');
        // The CLI tab fills in the command of the chosen command line.
        await page.locator('#tab-cli').click();
        const cli = info.named_endpoints['/hello']?.code_snippets['cli'] ?? '';
        expect(await page.locator('#endpoint-hello pre').textContent()).toBe(
          cli.replace('{command}', 'gradio').trimEnd(),
        );
        await page.getByRole('button', { name: 'Hugging Face CLI' }).click();
        expect(await page.locator('#endpoint-hello pre').textContent()).toBe(
          cli.replace('{command}', 'hf gradio').trimEnd(),
        );
        expect(errorsOf(page)).toEqual([]);
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );

  it(
    'copies a snippet, and the docs as Markdown, to the clipboard',
    async () => {
      const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
      try {
        const page = await openPage(context, `${showcase.url}/?view=api&lang=python`);
        await page.locator('#endpoint-multiply button.copy').click();
        await page.locator('#toast.show').waitFor();
        expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(
          info.named_endpoints['/multiply']?.code_snippets['python'],
        );
        expect(await page.locator('#endpoint-multiply button.copy').textContent()).toBe('Copied');
        await page.locator('#copy-markdown').click();
        const markdown = await page.evaluate<string>('navigator.clipboard.readText()');
        expect(markdown).toMatch(/^# nest-gradio showcase: API documentation\n/);
        for (const name of Object.keys(info.named_endpoints)) expect(markdown).toContain(`\n## ${name}\n`);
        expect(markdown).toContain(`\`\`\`python\n${info.named_endpoints['/add']?.code_snippets['python']}\n\`\`\``);
        expect(markdown).toContain('| `a` | `int` | Required |');
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );

  it(
    'shows the MCP tools with their schemas and the client configuration when MCP is on',
    async () => {
      const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
      try {
        // With MCP on and no ?lang=, the MCP tab opens first, as in Gradio.
        const page = await openPage(context, `${showcase.url}/?view=api`);
        expect(await page.locator('[role="tab"][aria-selected="true"]').textContent()).toBe('MCP');
        expect(await page.locator('#banner-title').textContent()).toBe('MCP documentation');
        expect(await page.locator('details.tool summary code').allTextContents()).toEqual(
          mcpTools.map((tool) => tool.name),
        );
        expect(await page.locator('#mcp-url-input').inputValue()).toBe(`${showcase.url}/gradio_api/mcp/`);
        const config = JSON.parse((await page.locator('#mcp-config pre').textContent()) ?? '');
        expect(config).toEqual({ mcpServers: { gradio: { url: `${showcase.url}/gradio_api/mcp/` } } });
        await page.locator('[data-transport="stdio"]').click();
        const stdio = JSON.parse((await page.locator('#mcp-config pre').textContent()) ?? '');
        expect(stdio).toEqual({
          mcpServers: { gradio: { command: 'npx', args: ['mcp-remote', `${showcase.url}/gradio_api/mcp/`] } },
        });
        // A tool opens to its parameters and its input schema.
        const add = page.locator('details.tool[data-tool="add"]');
        await add.locator('summary').click();
        expect(await add.locator('tbody tr').allTextContents()).toEqual(['aintegerRequired—', 'bintegerRequired—']);
        await page.locator('#mcp-config button.copy').click();
        expect(JSON.parse(await page.evaluate<string>('navigator.clipboard.readText()'))).toEqual(stdio);
        expect(errorsOf(page)).toEqual([]);
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );

  it(
    'says how to turn MCP on when it is off',
    async () => {
      const app = await startGradioApp({ mcpServer: false });
      const context = await browser.newContext();
      try {
        const page = await openPage(context, `${app.url}/?view=api&lang=mcp`);
        expect(await page.locator('#mcp-off h2').textContent()).toBe('MCP is off for this app');
        expect(await page.locator('#mcp-off').textContent()).toContain('GradioModule.forRoot({ mcpServer: true })');
        expect(await page.locator('#banner-count').textContent()).toBe('MCP off');
        // Without MCP the Python tab opens first.
        const other = await openPage(context, `${app.url}/?view=api`);
        expect(await other.locator('[role="tab"][aria-selected="true"]').textContent()).toBe('Python');
      } finally {
        await context.close();
        await app.close();
      }
    },
    TIMEOUT,
  );

  it(
    'has a clear empty state when no endpoint is public',
    async () => {
      const app = await startGradioApp({}, [HiddenOnly]);
      const context = await browser.newContext();
      try {
        const page = await openPage(context, `${app.url}/?view=api&lang=javascript`);
        expect(await page.locator('#no-endpoints h2').textContent()).toBe('No API endpoints yet');
        expect(await page.locator('article.endpoint').count()).toBe(0);
        expect(await page.locator('#banner-count').textContent()).toBe('0 API endpoints');
      } finally {
        await context.close();
        await app.close();
      }
    },
    TIMEOUT,
  );

  it(
    'shows the usage of each endpoint from /monitoring/summary',
    async () => {
      for (let index = 0; index < 3; index++) {
        const response = await fetch(`${showcase.url}/gradio_api/call/v2/count`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ n: 2 }),
        });
        const { event_id: eventId } = (await response.json()) as { event_id: string };
        await (await fetch(`${showcase.url}/gradio_api/call/count/${eventId}`)).text();
      }
      const context = await browser.newContext();
      try {
        const page = await openPage(context, `${showcase.url}/?view=api&lang=python`);
        const usage = (await page.locator('#endpoint-count .usage').textContent()) ?? '';
        expect(usage).toMatch(/^3 calls100% successfulp50 \d+ msp90 \d+ msp99 \d+ ms$/);
        expect(await page.locator('#endpoint-spell .usage').textContent()).toBe('No calls yet');
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );

  it(
    'follows the system theme, and its toggle switches and remembers the other one',
    async () => {
      const context = await browser.newContext({ colorScheme: 'dark' });
      try {
        const page = await openPage(context, `${showcase.url}/?view=api&lang=python`);
        const background = (): Promise<string> =>
          page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
        expect(await background()).toBe('rgb(15, 15, 17)');
        await page.getByRole('button', { name: 'Switch to the light theme' }).click();
        expect(await background()).toBe('rgb(255, 255, 255)');
        await page.reload();
        await page.locator('#panel').waitFor();
        expect(await background()).toBe('rgb(255, 255, 255)');
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );

  it(
    'fits a phone: nothing wider than the screen but the code blocks, which scroll',
    async () => {
      const context = await browser.newContext({ viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true });
      try {
        for (const tab of TABS) {
          const page = await openPage(context, `${showcase.url}/?view=api&lang=${tab}`);
          expect({ tab, width: await page.evaluate<number>('document.documentElement.scrollWidth') }).toEqual({
            tab,
            width: 390,
          });
          await page.close();
        }
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );

  it(
    'works from the keyboard: a skip link first, then every control has a name and takes focus',
    async () => {
      const context = await browser.newContext();
      try {
        const page = await openPage(context, `${showcase.url}/?view=api&lang=python`);
        await page.keyboard.press('Tab');
        expect(await page.evaluate<string>('document.activeElement && document.activeElement.textContent')).toBe(
          'Skip to the endpoints',
        );
        const unnamed = await page.evaluate<string[]>(`
        [...document.querySelectorAll('button, a, input, [tabindex]')]
          .filter((element) => !(element.getAttribute('aria-label') || element.textContent.trim() || element.labels?.length))
          .map((element) => element.outerHTML.slice(0, 80))`);
        expect(unnamed).toEqual([]);
        await page.keyboard.press('Enter');
        expect(await page.evaluate<string>('document.activeElement && document.activeElement.id')).toBe('main');
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );

  it.each(Object.keys(VIEWPORTS))(
    'takes a screenshot of every tab at %s width, light and dark',
    async (size) => {
      for (const colorScheme of ['light', 'dark'] as const) {
        const context = await browser.newContext({ viewport: VIEWPORTS[size as keyof typeof VIEWPORTS], colorScheme });
        try {
          for (const tab of TABS) {
            const page = await openPage(context, `${showcase.url}/?view=api&lang=${tab}`);
            await page.screenshot({ path: join(SCREENSHOTS, `${tab}-${size}-${colorScheme}.png`) });
            await page.close();
          }
        } finally {
          await context.close();
        }
      }
    },
    TIMEOUT,
  );

  it(
    'wrote screenshots that show a page, not a blank screen',
    async () => {
      const files = (await readdir(SCREENSHOTS)).filter((file) => file.endsWith('.png')).sort();
      expect(files).toHaveLength(TABS.length * 2 * 2);
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        // The check itself tells a blank screen apart.
        const blank = (await page.screenshot()).toString('base64');
        const blankStats = await page.evaluate<{ colours: number; share: number }>(
          `(${IMAGE_STATS})(${JSON.stringify(`data:image/png;base64,${blank}`)})`,
        );
        expect(blankStats.colours <= 2 && blankStats.share === 0).toBe(true);
        for (const file of files) {
          const data = (await readFile(join(SCREENSHOTS, file))).toString('base64');
          // The browser decodes the PNG; count its colours and how much of it differs from the corner's colour.
          const stats = await page.evaluate<{ width: number; colours: number; share: number }>(
            `(${IMAGE_STATS})(${JSON.stringify(`data:image/png;base64,${data}`)})`,
          );
          expect({ file, wide: stats.width >= 390, colourful: stats.colours > 50, inked: stats.share > 0.03 }).toEqual({
            file,
            wide: true,
            colourful: true,
            inked: true,
          });
        }
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );
});

describe('the View API page under a strict Content-Security-Policy', () => {
  let browser: Browser;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    browser = await launchChromium();
    @Module({ imports: [GradioModule.forRoot({ title: 'CSP probe' })], providers: SHOWCASE_PROVIDERS })
    class CspModule {}
    app = await NestFactory.create(CspModule, { logger: false });
    // helmet's default policy: scripts and styles only from the page's own origin, nothing inline.
    app.use((_request: unknown, response: { setHeader(name: string, value: string): void }, next: () => void) => {
      response.setHeader(
        'Content-Security-Policy',
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:",
      );
      next();
    });
    await setupGradioDocs(app);
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  }, TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it(
    'renders fully: its script and styles are files, not inline',
    async () => {
      const context = await browser.newContext();
      try {
        const violations: string[] = [];
        const page = await context.newPage();
        page.on('console', (message) => {
          if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
        });
        await page.goto(`${url}/?view=api&lang=python`);
        await page.locator('article.endpoint').first().waitFor();
        expect(await page.locator('article.endpoint').count()).toBeGreaterThan(5);
        expect(await page.evaluate<string>("getComputedStyle(document.querySelector('.endpoint')).borderRadius")).toBe(
          '12px',
        );
        expect(violations).toEqual([]);
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );

  it(
    'has the Swagger UI render the operations from local assets',
    async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const outside: string[] = [];
        page.on('request', (request) => {
          if (!request.url().startsWith(url) && !request.url().startsWith('data:')) outside.push(request.url());
        });
        await page.goto(`${url}/docs`, { waitUntil: 'load' });
        // Swagger UI's own init script is a file too, but it sets inline styles; its operations render regardless.
        await page
          .locator('.opblock-summary-path', { hasText: '/gradio_api/call/v2/add' })
          .first()
          .waitFor({ timeout: 20_000 });
        expect(outside).toEqual([]);
      } finally {
        await context.close();
      }
    },
    TIMEOUT,
  );
});
