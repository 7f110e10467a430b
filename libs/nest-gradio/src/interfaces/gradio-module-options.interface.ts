import type { InjectionToken, ModuleMetadata, OptionalFactoryDependency, Type } from '@nestjs/common';

/**
 * Options of `GradioModule.forRoot()`. Every field has Gradio's default; environment variables Gradio reads
 * (`GRADIO_DEFAULT_CONCURRENCY_LIMIT`, `GRADIO_HEARTBEAT_INTERVAL`, `GRADIO_ROOT_PATH`) are honoured when a field is
 * left out.
 *
 * @publicApi
 */
export interface GradioModuleOptions {
  /**
   * Concurrency limit of endpoints that do not set their own: a number, or `null` for unlimited.
   * Default: `GRADIO_DEFAULT_CONCURRENCY_LIMIT` or 1 (one job at a time per endpoint, made for GPU work).
   */
  defaultConcurrencyLimit?: number | null;
  /** At most this many jobs run at once across all endpoints (Gradio's `max_threads`). Default 40. */
  maxThreads?: number;
  /** Most events that may wait in the queue at once; joins beyond it get 503. Default `null` (no limit). */
  maxSize?: number | null;
  /** Send the text of unexpected errors to clients (a `GradioError` always reaches them). Default false. */
  showError?: boolean;
  /** Seconds between heartbeats on open streams. Default `GRADIO_HEARTBEAT_INTERVAL` or 15 (keep it under 20). */
  heartbeatInterval?: number;
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
  /** Identifier published as `config.app_id`; give every process of one deployment the same. Default: random. */
  appId?: number;
  /** Most sessions whose undelivered results are kept; older ones are dropped first. Default 2000 (Gradio's). */
  maxSessions?: number;
  /** Serve the built-in page at `GET /` (your own `GET /` route always wins). Default true. */
  servePage?: boolean;
}

/** The options after defaults and environment variables are applied. */
export interface ResolvedGradioOptions {
  defaultConcurrencyLimit: number | null;
  maxThreads: number;
  maxSize: number | null;
  showError: boolean;
  heartbeatInterval: number;
  rootPath: string;
  title: string;
  apiOpen: boolean;
  appId: number;
  maxSessions: number;
  servePage: boolean;
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
