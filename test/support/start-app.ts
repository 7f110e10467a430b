import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
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
import { startRoundRobinProxy } from '../../scripts/round-robin-proxy.mjs';
import { startRedis, type RedisServer } from './redis.js';

/** A running app on a free loopback port. */
export interface RunningApp {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  app: INestApplication;
  /** Every process of the app: `[app]`, or in a cluster run ({@link testCluster}) each one behind the proxy. */
  processes: INestApplication[];
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
  return { url: `http://127.0.0.1:${port}`, app, processes: [app], close: () => app.close() };
}

/**
 * How many processes the tests' apps run as: `GRADIO_TEST_CLUSTER=2` reruns a suite against two apps in distributed
 * mode on one Redis behind the round-robin proxy of `npm run start:cluster` (`npm test` does for the protocol's
 * conformance suite and the JS client's); one otherwise.
 */
export function testCluster(): number {
  return Number(process.env['GRADIO_TEST_CLUSTER'] ?? 1) || 1;
}

/** The Redis of the cluster runs: `GRADIO_TEST_REDIS_URL`, else a redis-server of this test file's own. */
let clusterRedis: Promise<RedisServer> | undefined;
if (testCluster() > 1 && !process.env['GRADIO_TEST_REDIS_URL']) {
  afterAll(async () => (await clusterRedis)?.stop());
}

async function clusterRedisUrl(): Promise<string> {
  const given = process.env['GRADIO_TEST_REDIS_URL'];
  if (given) return given;
  clusterRedis ??= startRedis();
  return (await clusterRedis).url;
}

/**
 * Starts the showcase's endpoints (or other providers) with the given `GradioModule` options and extra module
 * metadata (controllers, imports) — a real HTTP server the real clients can talk to. In a cluster run
 * ({@link testCluster}) the URL is the proxy's, in front of that many apps sharing one queue, and `app` is the first
 * of them (its `QueueService.lifecycle$` hears every process's events).
 */
export async function startGradioApp(
  options: GradioModuleOptions = {},
  providers: Provider[] = SHOWCASE_PROVIDERS,
  extra: ModuleMetadata = {},
): Promise<RunningApp> {
  const moduleWith = (gradioOptions: GradioModuleOptions): Type => {
    @Module({
      imports: [GradioModule.forRoot(gradioOptions), ...(extra.imports ?? [])],
      controllers: extra.controllers ?? [],
      providers: [...providers, ...(extra.providers ?? [])],
    })
    class TestAppModule {}
    return TestAppModule;
  };
  // A test that sets up distributed mode itself keeps its own.
  if (testCluster() === 1 || options.redis !== undefined) return startModule(moduleWith(options));
  const distributed = { ...options.distributed, prefix: `cluster-${randomBytes(4).toString('hex')}` };
  const shared = { ...options, redis: await clusterRedisUrl(), distributed };
  const apps: RunningApp[] = [];
  for (let index = 0; index < testCluster(); index++) apps.push(await startModule(moduleWith(shared)));
  const proxy = await startRoundRobinProxy(apps.map((running) => running.url));
  return {
    url: proxy.url,
    app: (apps[0] as RunningApp).app,
    processes: apps.map((running) => running.app),
    close: async () => {
      await proxy.close();
      for (const running of apps) await running.close();
    },
  };
}

export function startShowcase(options: GradioModuleOptions = {}): Promise<RunningApp> {
  return startGradioApp({ title: 'nest-gradio showcase', ...options });
}
