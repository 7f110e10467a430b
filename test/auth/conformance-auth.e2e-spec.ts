// CORS defaults, `authDependency`, and the application's own routes
// and lifecycle next to Gradio's (docs/protocol.md#auth, docs/protocol.md#cors, docs/protocol.md#server-mode).
import { Controller, Get, Injectable, Module, type OnApplicationBootstrap, Post } from '@nestjs/common';
import type { Request } from 'express';
import { GradioApi, GradioModule } from 'nest-gradio';
import { rawHttp } from '../files/file-helpers.js';
import { startGradioApp, startModule, testAdapter, type RunningApp } from '../support/start-app.js';
import { createHttpApp } from 'nest-gradio/testing';
import { WhoAmI } from './auth-endpoints.js';

/** A request as a browser page on `origin` would send it to the app reached as `host`. */
function fromOrigin(app: RunningApp, origin: string, host = 'localhost', extra: Record<string, string> = {}) {
  return rawHttp(app.url, '/config', { headers: { Host: host, Origin: origin, ...extra } });
}

describe('conformance: CORS, authDependency, application routes', () => {
  describe('CORS', () => {
    let app: RunningApp;

    beforeAll(async () => {
      app = await startGradioApp({}, [WhoAmI]);
    });

    afterAll(async () => {
      await app?.close();
    });

    it('localhost Host + foreign Origin → no Access-Control-Allow-Origin; localhost Origin → echoed; null → none', async () => {
      const foreign = await fromOrigin(app, 'https://example.com');
      expect(foreign.status).toBe(200);
      expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
      expect(foreign.headers['access-control-allow-credentials']).toBe('true');

      const nullOrigin = await fromOrigin(app, 'null');
      expect(nullOrigin.headers['access-control-allow-origin']).toBeUndefined();

      for (const origin of ['http://127.0.0.1:5173', 'http://localhost:3000', 'http://0.0.0.0:8080']) {
        const local = await fromOrigin(app, origin);
        expect({ origin, allowed: local.headers['access-control-allow-origin'] }).toEqual({ origin, allowed: origin });
        expect(local.headers['vary']).toMatch(/Origin/);
      }
      // No Origin: nothing added.
      const plain = await rawHttp(app.url, '/config');
      expect(plain.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('preflight: 200 OK with methods, max-age, credentials, the requested headers, and the origin only if allowed', async () => {
      const preflight = (origin: string) =>
        rawHttp(app.url, '/gradio_api/queue/join', {
          method: 'OPTIONS',
          headers: {
            Host: 'localhost',
            Origin: origin,
            'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'content-type,x-gradio-user',
          },
        });
      const allowed = await preflight('http://localhost:5173');
      expect(allowed.status).toBe(200);
      expect(allowed.body.toString()).toBe('OK');
      expect(allowed.headers).toMatchObject({
        'access-control-allow-methods': 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT',
        'access-control-max-age': '600',
        'access-control-allow-credentials': 'true',
        'access-control-allow-headers': 'content-type,x-gradio-user',
        'access-control-allow-origin': 'http://localhost:5173',
      });
      const refused = await preflight('https://evil.example');
      expect(refused.status).toBe(200);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('a foreign origin is refused wherever the app runs, unless configured; its own origin is allowed', async () => {
      // Gradio allows every origin once the Host is not localhost; nest-gradio keeps to its list.
      expect(
        (await fromOrigin(app, 'https://evil.example', 'app.example.org')).headers['access-control-allow-origin'],
      ).toBeUndefined();
      expect(
        (await fromOrigin(app, 'https://app.example.org', 'app.example.org')).headers['access-control-allow-origin'],
      ).toBe('https://app.example.org');
    });

    it('`Origin: null` only with strict off; configured origins; `cors: false` adds nothing', async () => {
      const loose = await startGradioApp(
        {
          cors: { strict: false, allowedOrigins: ['https://partner.example', /^https:\/\/[a-z]+\.trusted\.example$/] },
        },
        [WhoAmI],
      );
      const off = await startGradioApp({ cors: false }, [WhoAmI]);
      try {
        expect((await fromOrigin(loose, 'null')).headers['access-control-allow-origin']).toBe('null');
        expect((await fromOrigin(loose, 'https://partner.example')).headers['access-control-allow-origin']).toBe(
          'https://partner.example',
        );
        expect((await fromOrigin(loose, 'https://api.trusted.example')).headers['access-control-allow-origin']).toBe(
          'https://api.trusted.example',
        );
        expect(
          (await fromOrigin(loose, 'https://other.example')).headers['access-control-allow-origin'],
        ).toBeUndefined();
        const none = await fromOrigin(off, 'http://localhost:5173');
        expect(none.headers['access-control-allow-origin']).toBeUndefined();
        expect(none.headers['access-control-allow-credentials']).toBeUndefined();
      } finally {
        await loose.close();
        await off.close();
      }
    });

    it("stands aside when the app enabled Nest's own CORS", async () => {
      @Module({ imports: [GradioModule.forRoot({})], providers: [WhoAmI] })
      class OwnCors {}
      const nest = await createHttpApp(OwnCors, testAdapter(), { logger: ['error'] });
      nest.enableCors({ origin: 'https://mine.example' });
      await nest.listen(0, '127.0.0.1');
      const url = `http://127.0.0.1:${(nest.getHttpServer().address() as { port: number }).port}`;
      try {
        const own = await rawHttp(url, '/config', { headers: { Host: 'localhost', Origin: 'http://localhost:5173' } });
        // The `cors` package answers with its configured origin; ours would have echoed the localhost one.
        expect(own.headers['access-control-allow-origin']).toBe('https://mine.example');
        expect(own.headers['access-control-allow-credentials']).toBeUndefined();
      } finally {
        await nest.close();
      }
    });
  });

  describe('authDependency', () => {
    it('with authDependency, GET /gradio_api/login_check → 401 without a user, 200 with one', async () => {
      const app = await startGradioApp(
        {
          authDependency: (request: Request) => (request.headers['x-user'] as string | undefined) ?? null,
          authMessage: 'no user',
        },
        [WhoAmI],
      );
      try {
        const anonymous = await rawHttp(app.url, '/gradio_api/login_check');
        expect(anonymous.status).toBe(401);
        expect(JSON.parse(anonymous.body.toString())).toEqual({
          detail: { error: 'Not authenticated', auth_message: 'no user' },
        });
        const known = await rawHttp(app.url, '/gradio_api/login_check', { headers: { 'X-User': 'carol' } });
        expect(known.status).toBe(200);
        expect(JSON.parse(known.body.toString())).toBeNull();
        const config = await rawHttp(app.url, '/config', { headers: { 'X-User': 'carol' } });
        expect(JSON.parse(config.body.toString()).username).toBe('carol');
        expect((await rawHttp(app.url, '/config')).status).toBe(401);
        // No login page with authDependency: the page answers 401 too.
        expect((await rawHttp(app.url, '/')).status).toBe(401);
      } finally {
        await app.close();
      }
    });

    it('an async authDependency works the same, and the handler sees its user', async () => {
      const app = await startGradioApp(
        {
          authDependency: async (request: Request) => {
            await new Promise((resolve) => setTimeout(resolve, 5));
            return (request.headers['x-user'] as string | undefined) ?? null;
          },
        },
        [WhoAmI],
      );
      try {
        expect((await rawHttp(app.url, '/gradio_api/login_check')).status).toBe(401);
        expect((await rawHttp(app.url, '/gradio_api/login_check', { headers: { 'X-User': 'dave' } })).status).toBe(200);
        expect(
          JSON.parse((await rawHttp(app.url, '/gradio_api/user', { headers: { 'X-User': 'dave' } })).body.toString()),
        ).toBe('dave');
        const posted = await rawHttp(app.url, '/gradio_api/call/v2/whoami', {
          method: 'POST',
          headers: { 'X-User': 'dave', 'Content-Type': 'application/json' },
          body: '{}',
        });
        const { event_id: eventId } = JSON.parse(posted.body.toString()) as { event_id: string };
        const stream = await rawHttp(app.url, `/gradio_api/call/whoami/${eventId}`, { headers: { 'X-User': 'dave' } });
        expect(stream.body.toString()).toContain('data: ["dave"]');
      } finally {
        await app.close();
      }
    });
  });

  describe('application routes and lifecycle', () => {
    @Injectable()
    class Warehouse implements OnApplicationBootstrap {
      stock: string | undefined;

      onApplicationBootstrap(): void {
        this.stock = 'filled at start-up';
      }

      @GradioApi({ name: 'stock', returns: String })
      read(): string {
        return this.stock ?? 'empty';
      }
    }

    @Controller()
    class OwnRoutes {
      @Post('login')
      login(): { mine: string } {
        return { mine: 'login' };
      }

      @Get('logout')
      logout(): { mine: string } {
        return { mine: 'logout' };
      }

      @Get('gradio_api/upload_progress')
      progress(): { mine: string } {
        return { mine: 'progress' };
      }
    }

    it('the application’s own routes take precedence over the built-in ones, and start-up state reaches handlers', async () => {
      @Module({
        imports: [GradioModule.forRoot({ auth: ['u', 'p'] })],
        controllers: [OwnRoutes],
        providers: [Warehouse],
      })
      class Shop {}
      const app = await startModule(Shop);
      try {
        expect(JSON.parse((await rawHttp(app.url, '/login', { method: 'POST' })).body.toString())).toEqual({
          mine: 'login',
        });
        expect(JSON.parse((await rawHttp(app.url, '/logout')).body.toString())).toEqual({ mine: 'logout' });
        expect(JSON.parse((await rawHttp(app.url, '/gradio_api/upload_progress')).body.toString())).toEqual({
          mine: 'progress',
        });
        // Gradio's other routes are still there (and still protected).
        expect((await rawHttp(app.url, '/config')).status).toBe(401);
      } finally {
        await app.close();
      }
      @Module({ imports: [GradioModule.forRoot({})], providers: [Warehouse] })
      class OpenShop {}
      const open = await startModule(OpenShop);
      try {
        const posted = await rawHttp(open.url, '/gradio_api/call/v2/stock', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        });
        const { event_id: eventId } = JSON.parse(posted.body.toString()) as { event_id: string };
        expect((await rawHttp(open.url, `/gradio_api/call/stock/${eventId}`)).body.toString()).toContain(
          'data: ["filled at start-up"]',
        );
      } finally {
        await open.close();
      }
    });
  });
});
