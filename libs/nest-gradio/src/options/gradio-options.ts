import { resolveFileOptions } from './file-options.js';
import { resolveAuthOptions } from './auth-options.js';
import { resolveCorsOptions } from './cors-options.js';
import { resolveMcpOptions } from './mcp-options.js';
import { resolveObservabilityOptions } from './observability-options.js';
import { resolveDistributedOptions } from './distributed-options.js';
import type {
  GradioDocsOptions,
  GradioModuleOptions,
  ResolvedGradioOptions,
} from './gradio-module-options.interface.js';
import { isPositiveFinite, isPositiveInteger } from '../kernel/positive-number.js';

/**
 * Applies Gradio's defaults and environment variables to the module options, and rejects impossible values at
 * bootstrap with a message that says which option and why.
 */
export function resolveGradioOptions(
  options: GradioModuleOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedGradioOptions {
  const distributed = resolveDistributedOptions(options.redis, options.distributed, env);
  return {
    defaultConcurrencyLimit:
      options.defaultConcurrencyLimit !== undefined
        ? limitOrNull(options.defaultConcurrencyLimit, 'defaultConcurrencyLimit')
        : limitFromEnv(env['GRADIO_DEFAULT_CONCURRENCY_LIMIT']),
    maxThreads: positiveInteger(
      options.maxThreads ?? numberFromEnv(env['GRADIO_MAX_THREADS'], 'GRADIO_MAX_THREADS') ?? 40,
      'maxThreads',
    ),
    maxSize:
      options.maxSize === undefined || options.maxSize === null ? null : nonNegativeInteger(options.maxSize, 'maxSize'),
    showError: options.showError ?? false,
    heartbeatInterval: positiveSeconds(
      options.heartbeatInterval ?? numberFromEnv(env['GRADIO_HEARTBEAT_INTERVAL'], 'GRADIO_HEARTBEAT_INTERVAL') ?? 15,
      'heartbeatInterval',
    ),
    shutdownTimeout: nonNegativeSeconds(
      options.shutdownTimeout ?? numberFromEnv(env['GRADIO_SHUTDOWN_TIMEOUT'], 'GRADIO_SHUTDOWN_TIMEOUT') ?? 10,
      'shutdownTimeout',
    ),
    rootPath: options.rootPath ?? env['GRADIO_ROOT_PATH'] ?? '',
    title: options.title ?? 'Gradio',
    apiOpen: options.apiOpen ?? true,
    // Every process of a distributed app publishes the same id without being told: one derived from its prefix.
    appId:
      options.appId ??
      (distributed ? stableId(distributed.prefix) : Math.floor(Math.random() * Number.MAX_SAFE_INTEGER)),
    maxSessions: positiveInteger(options.maxSessions ?? 2000, 'maxSessions'),
    servePage: options.servePage ?? true,
    // Gradio turns it on only for the exact (case-insensitive) value "true".
    mcpServer: options.mcpServer ?? env['GRADIO_MCP_SERVER']?.toLowerCase() === 'true',
    mcp: resolveMcpOptions(options.mcp),
    enableMonitoring: options.enableMonitoring ?? true,
    analyticsMaxEvents: positiveInteger(
      numberFromEnv(env['GRADIO_ANALYTICS_MAX_EVENTS'], 'GRADIO_ANALYTICS_MAX_EVENTS') ?? 10_000,
      'GRADIO_ANALYTICS_MAX_EVENTS',
    ),
    asyncEventContext: options.asyncEventContext ?? false,
    docs: resolveDocs(options.docs, options.title ?? 'Gradio'),
    files: resolveFileOptions(options, env),
    auth: resolveAuthOptions(options),
    cors: resolveCorsOptions(options.cors),
    observability: resolveObservabilityOptions(options, env),
    distributed,
  };
}

/** A 48-bit FNV-1a hash of the text: the same number on every process. */
function stableId(text: string): number {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text)) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  return Number(hash >> 16n);
}

function resolveDocs(docs: GradioDocsOptions | false | undefined, title: string): Required<GradioDocsOptions> | false {
  if (docs === false) return false;
  const path = routePath(docs?.path ?? '/docs', 'docs.path');
  const jsonPath = docs?.jsonPath === false ? false : routePath(docs?.jsonPath ?? '/openapi.json', 'docs.jsonPath');
  return { path, jsonPath, title: docs?.title ?? title };
}

function routePath(value: string, name: string): string {
  const path = `/${value.replace(/^\/+|\/+$/g, '')}`;
  if (path === '/' || !/^[\w\-./]+$/.test(path))
    throw new Error(`GradioModule option ${name} must be a path such as "/docs"; got "${value}".`);
  return path;
}

function limitFromEnv(value: string | undefined): number | null {
  if (value === undefined || value === '') return 1;
  if (value.toLowerCase() === 'none') return null;
  return positiveInteger(Number(value), 'GRADIO_DEFAULT_CONCURRENCY_LIMIT');
}

function limitOrNull(value: number | null, name: string): number | null {
  return value === null ? null : positiveInteger(value, name);
}

function numberFromEnv(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`${name} must be a number of seconds; got "${value}".`);
  return parsed;
}

function positiveInteger(value: number, name: string): number {
  if (!isPositiveInteger(value))
    throw new Error(`GradioModule option ${name} must be a positive integer; got ${value}.`);
  return value;
}

function nonNegativeInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`GradioModule option ${name} must be a whole number ≥ 0; got ${value}.`);
  return value;
}

function nonNegativeSeconds(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`GradioModule option ${name} must be a number of seconds (0 or more); got ${value}.`);
  return value;
}

function positiveSeconds(value: number, name: string): number {
  if (!isPositiveFinite(value))
    throw new Error(`GradioModule option ${name} must be a positive number of seconds; got ${value}.`);
  return value;
}
