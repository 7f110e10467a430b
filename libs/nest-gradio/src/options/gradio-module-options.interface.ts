import type { InjectionToken, ModuleMetadata, OptionalFactoryDependency, Type } from '@nestjs/common';
import type { GradioFileOptions, ResolvedFileOptions } from './file-options.js';
import type { GradioAuthOptions, ResolvedAuthOptions } from './auth-options.js';
import type { GradioCorsOptions, ResolvedCorsOptions } from './cors-options.js';
import type { GradioMcpOptions, ResolvedMcpOptions } from './mcp-options.js';
import type { GradioObservabilityOptions, ResolvedObservabilityOptions } from './observability-options.js';
import type {
  GradioDistributedOptions,
  GradioRedisConnectionOptions,
  ResolvedDistributedOptions,
} from './distributed-options.js';

/**
 * Options of `GradioModule.forRoot()`. Every field has Gradio's default; environment variables Gradio reads
 * (`GRADIO_DEFAULT_CONCURRENCY_LIMIT`, `GRADIO_HEARTBEAT_INTERVAL`, `GRADIO_ROOT_PATH`) are honoured when a field is
 * left out.
 *
 * @publicApi
 */
export interface GradioModuleOptions extends GradioFileOptions, GradioAuthOptions, GradioObservabilityOptions {
  /**
   * Which browser pages on other origins may call the app: by default pages on localhost and on the app's own
   * origin; `false` sends no CORS headers at all. Ignored when the app enabled Nest's own CORS (`app.enableCors()`).
   */
  cors?: GradioCorsOptions | false;
  /**
   * Concurrency limit of endpoints that do not set their own: a number, or `null` for unlimited.
   * Default: `GRADIO_DEFAULT_CONCURRENCY_LIMIT` or 1 (one job at a time per endpoint, made for GPU work).
   */
  defaultConcurrencyLimit?: number | null;
  /**
   * At most this many jobs run at once across all endpoints (Gradio's `max_threads`) — in distributed mode across
   * every process of the deployment. Default `GRADIO_MAX_THREADS` or 40.
   */
  maxThreads?: number;
  /** Most events that may wait in the queue at once; joins beyond it get 503. Default `null` (no limit). */
  maxSize?: number | null;
  /** Send the text of unexpected errors to clients (a `GradioError` always reaches them). Default false. */
  showError?: boolean;
  /** Seconds between heartbeats on open streams. Default `GRADIO_HEARTBEAT_INTERVAL` or 15 (keep it under 20). */
  heartbeatInterval?: number;
  /**
   * Seconds a graceful stop (SIGTERM, `app.close()`) lets running events finish before aborting them; joins get 503
   * meanwhile and waiting events are told at once. Default `GRADIO_SHUTDOWN_TIMEOUT` or 10; 0 aborts at once.
   */
  shutdownTimeout?: number;
  /**
   * Path (or full URL) the app is served under behind a proxy, used to build `config.root` and file URLs.
   * Default `GRADIO_ROOT_PATH` or none.
   */
  rootPath?: string;
  /** Title published in `/config`. Default `"Gradio"`. */
  title?: string;
  /**
   * Whether queued endpoints also answer direct `POST /gradio_api/run/{name}` calls. Default true (Gradio turns it
   * off only on Hugging Face Spaces).
   */
  apiOpen?: boolean;
  /**
   * Identifier published as `config.app_id`; every process of one deployment must publish the same. Default: in
   * distributed mode one derived from `distributed.prefix`, else random.
   */
  appId?: number;
  /** Most sessions whose undelivered results are kept; older ones are dropped first. Default 2000 (Gradio's). */
  maxSessions?: number;
  /** Serve the built-in page at `GET /` (your own `GET /` route always wins). Default true. */
  servePage?: boolean;
  /**
   * Serve the MCP tools, resources and prompts (`@McpTool`, `@McpResource`, `@McpPrompt`) under `/gradio_api/mcp`:
   * streamable HTTP, legacy SSE, `/gradio_api/mcp/schema` and a setup page. Default `GRADIO_MCP_SERVER=true`, else
   * false (the MCP routes then answer 404).
   */
  mcpServer?: boolean;
  /**
   * Which `Host` and `Origin` headers the MCP routes accept (others get 403), against DNS rebinding. Default: on a
   * loopback address only the loopback names and pages on them or on the app's own origin.
   */
  mcp?: GradioMcpOptions;
  /**
   * Usage analytics at `GET /monitoring/summary` (calls, success rate and processing-time percentiles per endpoint,
   * shown on the View API page). Default true, as in Gradio; false answers 403 and records nothing. The window is
   * the last `GRADIO_ANALYTICS_MAX_EVENTS` finished calls (default 10 000).
   */
  enableMonitoring?: boolean;
  /**
   * Lets `currentEvent()` find the running event anywhere below its handler (in the services it calls, after any
   * `await`). Off by default, because it keeps Node's async hooks on for the whole process: every promise and
   * callback any code makes then pays for them (11–17 % of the server's CPU time per call, measured). With it off,
   * inject the context with `@Ctx()` and pass it on; `currentEvent()` then throws, saying so.
   */
  asyncEventContext?: boolean;
  /**
   * Swagger UI of the whole application (your controllers and Gradio's routes) and its OpenAPI document, like the
   * `/docs` and `/openapi.json` of Gradio's Server mode. Set up by `launch()`, or by `setupGradioDocs(app)` when you
   * create the app yourself; needs `@nestjs/swagger`. `false` turns it off. Default `{ path: '/docs',
   * jsonPath: '/openapi.json' }`.
   */
  docs?: GradioDocsOptions | false;
  /**
   * Distributed mode: a Redis URL (`redis://host:6379`) or ioredis connection options. Every process given the same
   * Redis (and `distributed.prefix`) serves one app: the queue runs on BullMQ, each session's messages on a Redis
   * stream. Needs the packages `bullmq` and `ioredis`. Default `GRADIO_REDIS_URL`, else off (the in-memory queue).
   */
  redis?: string | GradioRedisConnectionOptions;
  /** Tuning of distributed mode (key prefix, stalled-job timeout, session lifetime); used only with `redis`. */
  distributed?: GradioDistributedOptions;
}

/** Where `/docs` serves the Swagger UI and its OpenAPI document. @publicApi */
export interface GradioDocsOptions {
  /** Path of the Swagger UI. Default `/docs`. */
  path?: string;
  /** Path of the OpenAPI document (JSON), or false for none. Default `/openapi.json`. */
  jsonPath?: string | false;
  /** Title of the document. Default: the module's `title`. */
  title?: string;
}

/** The options after defaults and environment variables are applied. */
export interface ResolvedGradioOptions {
  defaultConcurrencyLimit: number | null;
  maxThreads: number;
  maxSize: number | null;
  showError: boolean;
  heartbeatInterval: number;
  shutdownTimeout: number;
  rootPath: string;
  title: string;
  apiOpen: boolean;
  appId: number;
  maxSessions: number;
  servePage: boolean;
  mcpServer: boolean;
  mcp: ResolvedMcpOptions;
  enableMonitoring: boolean;
  analyticsMaxEvents: number;
  asyncEventContext: boolean;
  docs: Required<GradioDocsOptions> | false;
  files: ResolvedFileOptions;
  auth: ResolvedAuthOptions;
  cors: ResolvedCorsOptions | false;
  observability: ResolvedObservabilityOptions;
  /** Distributed mode, or null for the in-memory queue. */
  distributed: ResolvedDistributedOptions | null;
}

/** @publicApi */
export interface GradioOptionsFactory {
  createGradioOptions(): GradioModuleOptions | Promise<GradioModuleOptions>;
}

/** Options of `GradioModule.forRootAsync()`. @publicApi */
export interface GradioModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  useFactory?: (...args: never[]) => GradioModuleOptions | Promise<GradioModuleOptions>;
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  useClass?: Type<GradioOptionsFactory>;
  useExisting?: Type<GradioOptionsFactory>;
}
