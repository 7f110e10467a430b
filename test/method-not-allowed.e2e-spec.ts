// A known path asked with a method none of its routes takes answers 405 with an `Allow` header (RFC 9110), on
// Gradio's routes and the application's own alike, as Gradio's Server mode (FastAPI) does; an unknown path keeps
// Nest's 404. On the adapter under test (`npm test` runs this file on Fastify too), next to the application's
// middleware, global filter, guard and Nest's own CORS, which must all still apply.
import 'reflect-metadata';
import {
  type ArgumentsHost,
  Catch,
  type CanActivate,
  Controller,
  type ExecutionContext,
  ExceptionFilter,
  ForbiddenException,
  Get,
  type INestApplication,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  NotFoundException,
  Param,
  Post,
  Put,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, HttpAdapterHost } from '@nestjs/core';
import { GradioModule } from 'nest-gradio';
import { createHttpApp, listenForClients } from 'nest-gradio/testing';
import { SHOWCASE_PROVIDERS } from '../src/app.module.js';
import { rawRequest } from './support/http.js';
import { testAdapter } from './support/start-app.js';

@Controller('shop')
class ShopController {
  @Get('items/:id')
  item(@Param('id') id: string): { id: string } {
    return { id };
  }

  @Put('items/:id')
  replace(@Param('id') id: string): { replaced: string } {
    return { replaced: id };
  }

  @Post('orders')
  order(): { ordered: true } {
    return { ordered: true };
  }

  @Get('locked')
  locked(): string {
    return 'never';
  }
}

/** The application's own 404 page, which an unknown path must still reach. */
@Catch(NotFoundException)
class NotFoundPage implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(_exception: NotFoundException, host: ArgumentsHost): void {
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), { page: 'my 404' }, 404);
  }
}

/** Guards `GET /shop/locked`: the guard of a route still decides for its method. */
class LockGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getHandler().name === 'locked') throw new ForbiddenException('locked');
    return true;
  }
}

@Module({
  imports: [GradioModule.forRoot({})],
  controllers: [ShopController],
  providers: [
    ...SHOWCASE_PROVIDERS,
    { provide: APP_FILTER, useClass: NotFoundPage },
    { provide: APP_GUARD, useClass: LockGuard },
  ],
})
class ShopModule implements NestModule {
  // Middleware on a path no route serves: on Express it sits in the router like a route, and must not count as one.
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply((_request: unknown, _response: unknown, next: () => void) => next()).forRoutes('audit/*path');
  }
}

async function start(configure: (app: INestApplication) => void = () => undefined): Promise<INestApplication> {
  const app = await createHttpApp(ShopModule, testAdapter(), { logger: false });
  configure(app);
  await listenForClients(app, 0, '127.0.0.1');
  return app;
}

function urlOf(app: INestApplication): string {
  return `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
}

let app: INestApplication;
let url: string;

beforeAll(async () => {
  app = await start();
  url = urlOf(app);
});

afterAll(async () => {
  await app.close();
});

describe("the application's own routes", () => {
  it.each([
    ['DELETE', '/shop/items/7', 'GET, HEAD, PUT, OPTIONS', 'GET, HEAD and PUT'],
    ['TRACE', '/shop/items/7', 'GET, HEAD, PUT, OPTIONS', 'GET, HEAD and PUT'],
    ['GET', '/shop/orders', 'POST, OPTIONS', 'POST'],
    ['PATCH', '/shop/orders', 'POST, OPTIONS', 'POST'],
  ])('%s %s: 405, Allow: %s', async (method, path, allow, listed) => {
    const response = await rawRequest(`${url}${path}`, { method });
    expect({ status: response.status, allow: response.headers['allow'], body: JSON.parse(response.body) }).toEqual({
      status: 405,
      allow,
      body: {
        statusCode: 405,
        error: 'Method Not Allowed',
        message: `${method} is not allowed on ${path}; it answers ${listed}.`,
      },
    });
  });

  it('HEAD gets the 405 without a body, OPTIONS the list with 204', async () => {
    const head = await rawRequest(`${url}/shop/orders`, { method: 'HEAD' });
    expect([head.status, head.headers['allow'], head.body]).toEqual([405, 'POST, OPTIONS', '']);
    const options = await rawRequest(`${url}/shop/items/7`, { method: 'OPTIONS' });
    expect([options.status, options.headers['allow'], options.body]).toEqual([204, 'GET, HEAD, PUT, OPTIONS', '']);
  });

  it('still serve their methods, behind their guard', async () => {
    expect(JSON.parse((await rawRequest(`${url}/shop/items/7`)).body)).toEqual({ id: '7' });
    const put = await rawRequest(`${url}/shop/items/7`, { method: 'PUT' });
    expect(JSON.parse(put.body)).toEqual({ replaced: '7' });
    expect((await rawRequest(`${url}/shop/locked`)).status).toBe(403);
    expect((await rawRequest(`${url}/shop/locked`, { method: 'POST' })).status).toBe(405);
  });
});

describe("Gradio's routes", () => {
  it.each([
    ['PUT', '/config', 'GET, HEAD, OPTIONS'],
    ['TRACE', '/gradio_api/info', 'GET, HEAD, OPTIONS'],
    ['GET', '/gradio_api/queue/join', 'POST, OPTIONS'],
    ['DELETE', '/gradio_api/file=some/file.txt', 'GET, HEAD, OPTIONS'],
    // The result stream's pattern matches `call/v2/<name>`, but refuses GET there.
    ['TRACE', '/gradio_api/call/v2/add', 'POST, OPTIONS'],
  ])('%s %s: 405, Allow: %s', async (method, path, allow) => {
    const response = await rawRequest(`${url}${path}`, { method });
    expect([response.status, response.headers['allow']]).toEqual([405, allow]);
  });

  // Fastify checks a request's body before its not-found handler runs, and refused this one with 400 (RFC 10008).
  it('QUERY without a Content-Type: 405 before the body is read', async () => {
    const response = await rawRequest(`${url}/gradio_api/info`, { method: 'QUERY' });
    expect([response.status, response.headers['allow']]).toEqual([405, 'GET, HEAD, OPTIONS']);
  });
});

describe('a path no route serves', () => {
  it.each([
    ['GET', '/nowhere'],
    ['TRACE', '/shop/items'],
    ['POST', '/audit/log'],
  ])("%s %s still gets the 404 of the application's exception filter", async (method, path) => {
    const response = await rawRequest(`${url}${path}`, { method });
    expect([response.status, response.headers['allow'], JSON.parse(response.body)]).toEqual([
      404,
      undefined,
      { page: 'my 404' },
    ]);
  });
});

describe("Nest's CORS (app.enableCors())", () => {
  let corsApp: INestApplication;
  let corsUrl: string;

  beforeAll(async () => {
    corsApp = await start((created) => created.enableCors({ origin: 'https://shop.example' }));
    corsUrl = urlOf(corsApp);
  });

  afterAll(async () => {
    await corsApp.close();
  });

  it('answers the preflight of a known path itself', async () => {
    const response = await rawRequest(`${corsUrl}/shop/orders`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(response.headers['allow']).toBeUndefined();
  });

  it('keeps its headers on a 405', async () => {
    const response = await rawRequest(`${corsUrl}/shop/orders`, {
      method: 'DELETE',
      headers: { origin: 'https://shop.example' },
    });
    expect(response.status).toBe(405);
    expect(response.headers['access-control-allow-origin']).toBe('https://shop.example');
  });
});
