import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Socket } from 'node:net';
import { Controller, Get, Injectable, Module, Scope } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from '@gradio/client';
import { GradioApi, GradioModule, Int, type GradioModuleOptions, type GradioOptionsFactory } from 'nest-gradio';
import { startGradioApp, startModule } from './support/start-app.js';

@Injectable()
class MathService {
  @GradioApi({ description: 'Add two numbers together.' })
  add(a: Int, b: Int): Int {
    return a + b;
  }
}

@Injectable()
class ConfigSource {
  readonly title = 'from a factory';
}

@Module({ providers: [ConfigSource], exports: [ConfigSource] })
class ConfigSourceModule {}

@Injectable()
class OptionsFactory implements GradioOptionsFactory {
  createGradioOptions(): GradioModuleOptions {
    return { title: 'from a class', defaultConcurrencyLimit: null };
  }
}

async function configOf(url: string): Promise<Record<string, unknown>> {
  return (await fetch(`${url}/config`)).json() as Promise<Record<string, unknown>>;
}

describe('GradioModule.forRootAsync', () => {
  it('takes options from a factory with injected dependencies', async () => {
    @Module({
      imports: [
        GradioModule.forRootAsync({
          imports: [ConfigSourceModule],
          inject: [ConfigSource],
          useFactory: (source: ConfigSource) => ({ title: source.title }),
        }),
      ],
      providers: [MathService],
    })
    class FactoryApp {}
    const running = await startModule(FactoryApp);
    try {
      expect((await configOf(running.url))['title']).toBe('from a factory');
      const client = await Client.connect(running.url);
      expect((await client.predict('/add', { a: 3, b: 5 })).data).toEqual([8]);
    } finally {
      await running.close();
    }
  });

  it('takes options from a factory class', async () => {
    @Module({ imports: [GradioModule.forRootAsync({ useClass: OptionsFactory })], providers: [MathService] })
    class ClassApp {}
    const running = await startModule(ClassApp);
    try {
      expect((await configOf(running.url))['title']).toBe('from a class');
    } finally {
      await running.close();
    }
  });
});

describe('routes of the application win over the built-in ones', () => {
  @Controller()
  class OwnController {
    @Get()
    home(): string {
      return 'my own home page';
    }

    @Get('config')
    config(): { mine: boolean } {
      return { mine: true };
    }
  }

  // Imported AFTER GradioModule: Nest registers its routes later, yet they must still win.
  @Module({ controllers: [OwnController] })
  class FeatureModule {}

  it("serves a feature module's GET / and GET /config instead of Gradio's, and keeps the other routes", async () => {
    @Module({ imports: [GradioModule.forRoot(), FeatureModule], providers: [MathService] })
    class App {}
    const running = await startModule(App);
    try {
      expect(await (await fetch(`${running.url}/`)).text()).toBe('my own home page');
      expect(await configOf(running.url)).toEqual({ mine: true });
      const info = (await (await fetch(`${running.url}/gradio_api/info`)).json()) as { named_endpoints: object };
      expect(Object.keys(info.named_endpoints)).toEqual(['/add']);
      expect((await fetch(`${running.url}/__nest_gradio_routes_start__`)).status).toBe(404);
    } finally {
      await running.close();
    }
  });
});

describe('bootstrap errors', () => {
  async function bootstrapError(module: new () => unknown): Promise<string> {
    try {
      const app = await NestFactory.create(module, { logger: false, abortOnError: false });
      await app.init();
      await app.close();
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  }

  it('names the class and method of an invalid @GradioApi()', async () => {
    @Injectable()
    class BadLimits {
      @GradioApi({ concurrencyLimit: -2 })
      work(): void {}
    }
    @Module({ imports: [GradioModule.forRoot()], providers: [BadLimits] })
    class App {}
    expect(await bootstrapError(App)).toBe(
      'Invalid @GradioApi() on BadLimits.work: concurrencyLimit must be a positive integer; got -2.',
    );
  });

  it('refuses endpoints on request-scoped providers', async () => {
    @Injectable({ scope: Scope.REQUEST })
    class PerRequest {
      @GradioApi()
      work(): void {}
    }
    @Module({ imports: [GradioModule.forRoot()], providers: [PerRequest] })
    class App {}
    expect(await bootstrapError(App)).toBe(
      'PerRequest has @GradioApi() methods but is request-scoped; Gradio endpoints need a singleton provider.',
    );
  });

  it('refuses an impossible module option', async () => {
    expect(() => GradioModule.forRoot({ maxThreads: 0 })).toThrow(
      'GradioModule option maxThreads must be a positive integer; got 0.',
    );
  });
});

/** Starts apps/hello's main.js (which calls launch()) on a free port; resolves with the URL it prints. */
function launchHello(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const match = /^\* Running on local URL: {2}(http:\/\/127\.0\.0\.1:\d+)$/m.exec(output);
      if (match) resolve(match[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
}

/** Sends a keep-alive GET on an open socket and resolves with the status line of its answer. */
function statusLineOf(socket: Socket, path: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    if (socket.destroyed || socket.readableEnded) {
      reject(new Error(`the server had closed the connection before ${path} was asked`));
      return;
    }
    let answer = '';
    const onData = (chunk: Buffer): void => {
      answer += String(chunk);
      if (!answer.includes('\r\n')) return;
      socket.off('data', onData).off('close', onClose);
      resolve(answer.slice(0, answer.indexOf('\r\n')));
    };
    const onClose = (): void => reject(new Error(`the server closed the connection instead of answering ${path}`));
    socket.on('data', onData).on('close', onClose).on('error', reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
  });
}

describe('launch()', () => {
  it('serves on PORT and prints the local URL like Gradio', async () => {
    const child = spawn(process.execPath, ['dist/apps/hello/main.js'], { env: { ...process.env, PORT: '0' } });
    try {
      const url = await launchHello(child);
      const client = await Client.connect(url);
      expect((await client.predict('/hello', { name: 'World' })).data).toEqual(['Hello, World!']);
    } finally {
      child.kill();
    }
  });

  // Node closes idle connections after 5 s, the clients' own pool expiry: a request sent at that moment is lost.
  it('keeps an idle keep-alive connection open longer than the clients do (8 s here)', async () => {
    const child = spawn(process.execPath, ['dist/apps/hello/main.js'], { env: { ...process.env, PORT: '0' } });
    const socket = new Socket();
    try {
      const url = new URL(await launchHello(child));
      await new Promise<void>((resolve) => socket.connect(Number(url.port), url.hostname, resolve));
      expect(await statusLineOf(socket, '/config')).toBe('HTTP/1.1 200 OK');
      await new Promise((resolve) => setTimeout(resolve, 8_000));
      expect(await statusLineOf(socket, '/config')).toBe('HTTP/1.1 200 OK');
    } finally {
      socket.destroy();
      child.kill();
    }
  }, 20_000);

  // HTTP clients open spare connections; with the 65 s keep-alive, shutdown used to wait for them.
  it('closes, on app.close(), a connection on which no request was ever sent', async () => {
    const app = await startGradioApp({}, []);
    const url = new URL(app.url);
    const socket = new Socket();
    try {
      await new Promise<void>((resolve) => socket.connect(Number(url.port), url.hostname, resolve));
      const closedBy = new Promise<string>((resolve) => socket.once('close', () => resolve('server')));
      await app.close();
      expect(
        await Promise.race([closedBy, new Promise((resolve) => setTimeout(() => resolve('nobody, 3 s later'), 3_000))]),
      ).toBe('server');
    } finally {
      socket.destroy();
    }
  });
});
