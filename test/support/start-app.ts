import 'reflect-metadata';
import { type INestApplication, Module, type ModuleMetadata, type Provider, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { GradioModule, type GradioModuleOptions } from 'nest-gradio';
import { listenForClients } from 'nest-gradio/testing';
import { SHOWCASE_PROVIDERS } from '../../src/app.module.js';

/** A running app on a free loopback port. */
export interface RunningApp {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  app: INestApplication;
  close(): Promise<void>;
}

/** Starts a Nest application for `module` on 127.0.0.1 and a free port, as `launch()` would. */
export async function startModule(module: Type): Promise<RunningApp> {
  const app = await NestFactory.create<NestExpressApplication>(module, { logger: ['error'] });
  app.useBodyParser('json', { limit: '10mb' });
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
