import 'reflect-metadata';
import {
  ConsoleLogger,
  type INestApplication,
  Module,
  type ModuleMetadata,
  type Provider,
  type Type,
} from '@nestjs/common';
import { GradioModule, type GradioModuleOptions } from 'nest-gradio';
import { createHttpApp, listenForClients, useJsonBodyLimit } from 'nest-gradio/testing';
import { SHOWCASE_PROVIDERS } from '../../src/app.module.js';

/** A running app on a free loopback port. */
export interface RunningApp {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  app: INestApplication;
  close(): Promise<void>;
}

/**
 * Nest's console logger at level `error`, except that a handler's failure is one line: tests make handlers fail on
 * purpose, and a stack for each would bury the output of a test that really fails.
 */
class TestLogger extends ConsoleLogger {
  constructor() {
    super({ logLevels: ['error'] });
  }

  override error(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    if (context === 'GradioQueue') super.error(message, context);
    else super.error(message, ...rest);
  }
}

/**
 * The HTTP adapter the tests' apps run on: `GRADIO_TEST_ADAPTER=fastify` reruns a suite on Fastify (`npm test` does
 * for the protocol, clients, docs, files, auth, CORS and MCP suites); Express otherwise.
 */
export function testAdapter(): 'express' | 'fastify' {
  return process.env['GRADIO_TEST_ADAPTER'] === 'fastify' ? 'fastify' : 'express';
}

/** Starts a Nest application for `module` on 127.0.0.1 and a free port, as `launch()` would. */
export async function startModule(module: Type): Promise<RunningApp> {
  const app = await createHttpApp(module, testAdapter(), { logger: new TestLogger() });
  useJsonBodyLimit(app, '10mb');
  await listenForClients(app, 0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, app, close: () => app.close() };
}

/**
 * Starts the showcase's endpoints (or other providers) with the given `GradioModule` options and extra module
 * metadata (controllers, imports) — a real HTTP server the real clients can talk to.
 */
export async function startGradioApp(
  options: GradioModuleOptions = {},
  providers: Provider[] = SHOWCASE_PROVIDERS,
  extra: ModuleMetadata = {},
): Promise<RunningApp> {
  @Module({
    imports: [GradioModule.forRoot(options), ...(extra.imports ?? [])],
    controllers: extra.controllers ?? [],
    providers: [...providers, ...(extra.providers ?? [])],
  })
  class TestAppModule {}
  return startModule(TestAppModule);
}

export function startShowcase(options: GradioModuleOptions = {}): Promise<RunningApp> {
  return startGradioApp({ title: 'nest-gradio showcase', ...options });
}
