// Which route answers when the application's own routes meet Gradio's, on the adapter under test (Express by
// default; `npm test` runs this file on Fastify too). Express tries routes in order and the library moves Gradio's
// last; Fastify picks the most specific pattern and takes one handler per method and path, so Gradio's routes there
// fill only the methods and paths the application left (README, "Fastify").
import 'reflect-metadata';
import { Controller, Get, Module, Param, Post } from '@nestjs/common';
import { GradioModule } from 'nest-gradio';
import { SHOWCASE_PROVIDERS } from '../src/app.module.js';
import { startModule, testAdapter, type RunningApp } from './support/start-app.js';

@Controller()
class ShopController {
  @Post('gradio_api/upload')
  upload(): { mine: string } {
    return { mine: 'upload' };
  }

  // A route every Gradio call takes, which the library puts first among its own on Express.
  @Post('gradio_api/queue/join')
  join(): { mine: string } {
    return { mine: 'join' };
  }

  @Get('gradio_api/info')
  info(): { mine: string } {
    return { mine: 'info' };
  }

  @Get(':page')
  page(@Param('page') page: string): { page: string } {
    return { page };
  }
}

// A feature module imported after GradioModule: Nest registers its routes after Gradio's.
@Module({ controllers: [ShopController] })
class ShopModule {}

@Module({ imports: [GradioModule.forRoot({}), ShopModule], providers: SHOWCASE_PROVIDERS })
class AppModule {}

let app: RunningApp;

beforeAll(async () => {
  app = await startModule(AppModule);
});

afterAll(async () => {
  await app.close();
});

it("serves the application's route where it declares the same method and path as Gradio", async () => {
  expect(await (await fetch(`${app.url}/gradio_api/info`)).json()).toEqual({ mine: 'info' });
  // With a slash, the application's own router settings decide (Express matches it; Fastify only with its
  // ignoreTrailingSlash option): it is never Gradio's route.
  const slashed = (await (await fetch(`${app.url}/gradio_api/info/`)).json()) as object;
  expect(Object.keys(slashed)).not.toContain('named_endpoints');
  const upload = await fetch(`${app.url}/gradio_api/upload`, { method: 'POST' });
  expect(await upload.json()).toEqual({ mine: 'upload' });
  const join = await fetch(`${app.url}/gradio_api/queue/join`, { method: 'POST' });
  expect(await join.json()).toEqual({ mine: 'join' });
});

it('leaves the other methods of such a path to Gradio: 405 with the Allow header', async () => {
  const response = await fetch(`${app.url}/gradio_api/upload`, { method: 'PUT' });
  expect(response.status).toBe(405);
  expect(response.headers.get('allow')).toBe('POST, OPTIONS');
});

it('keeps the Gradio routes the application does not declare', async () => {
  const config = await fetch(`${app.url}/gradio_api/app_id`);
  expect(config.status).toBe(200);
  expect(Object.keys((await config.json()) as object)).toEqual(['app_id']);
});

it("a parameter pattern of the application wins over Gradio's fixed paths on Express only, as each router orders routes", async () => {
  const response = await fetch(`${app.url}/config`);
  const body = (await response.json()) as Record<string, unknown>;
  if (testAdapter() === 'fastify') {
    // Fastify's router prefers the fixed path `/config` over `/:page`, whatever the order.
    expect(body['protocol']).toBe('sse_v3');
  } else {
    // Express tries the application's `/:page` first.
    expect(body).toEqual({ page: 'config' });
  }
  // A path only the pattern matches is the application's on both.
  expect(await (await fetch(`${app.url}/about`)).json()).toEqual({ page: 'about' });
});
