import {
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  PIPES_METADATA,
} from '@nestjs/common/constants.js';
import { ForbiddenException } from '@nestjs/common';
import { ExternalContextCreator, ModulesContainer } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { defer, from, isObservable, lastValueFrom, Observable } from 'rxjs';
import { catchError, toArray } from 'rxjs/operators';
import { GRADIO_CONTEXT_TYPE } from '../kernel/gradio.constants.js';
import { enhancerScopeMessage } from '../kernel/gradio.messages.js';
import { guardArguments, type GuardPurpose } from './listing-check.js';
import type { StreamPuller } from './endpoint.interface.js';

/** Where the pipeline's param factory finds the method's arguments: the third of the context's arguments. */
const HANDLER_ARGS_METADATA = 'nest-gradio:handler-args';
const ARGUMENTS_INDEX = 2;
const ARGUMENT_PARAM_TYPE = 0;

/**
 * What a guard, interceptor or filter sees as the context's arguments: the HTTP request that made the call (a
 * `queue/join`, `call/`, `run/` or an MCP POST), its response while the guards run (undefined inside the queue, where
 * it has been answered), and the method's arguments in order. `switchToHttp().getRequest()` therefore returns the request, so HTTP guards work unchanged.
 */
export type HandlerContextArgs = [request: unknown, response: unknown, args: unknown[]];

/** The method of one endpoint, reached through Nest's guards, interceptors, pipes and filters. */
export interface HandlerPipeline {
  /**
   * Runs the method's guards (its own, its class's, the global ones) for a request that asks to call it, or (purpose
   * `'listing'`) whether an MCP listing shows it. Rejects with the exception a guard threw, or a
   * `ForbiddenException` when a guard answered false; undefined when no guard applies to the method.
   */
  authorize(request: unknown, response: unknown, purpose?: GuardPurpose): Promise<void> | undefined;
  /**
   * Calls the method through interceptors, pipes and filters. Gives the method's result (a value, a Promise or a
   * stream). A streaming method's generator comes back as a generator, for the caller to pull; with interceptors, as
   * an Observable whose every value went through them, which `pull` made (see {@link StreamPuller}).
   */
  run(request: unknown, args: unknown[], pull?: StreamPuller): unknown;
  /** Whether {@link run} shows the request to anything (the method's interceptors or exception filters). */
  readonly runSeesRequest: boolean;
}

/** The exception filters of one method as Nest resolved them; `filters.length === 0` when the app has none for it. */
interface ResolvedFilters {
  filters: unknown[];
  next(exception: unknown, host: ExecutionContextHost): unknown;
}

/**
 * Builds each endpoint's {@link HandlerPipeline} on Nest's `ExternalContextCreator`, the way GraphQL resolvers and
 * microservice handlers run: the context type is `'gradio'`, guards run before an event is queued (so a refusal is
 * an HTTP error, not a failed event), and interceptors, pipes and filters run around the method inside the queue.
 */
export class HandlerPipelineFactory {
  /**
   * A view of Nest's creator whose final step keeps Observables as they are: the stock one collapses them to their
   * last value, which would turn a stream into its final item. Everything else is the shared creator's.
   */
  private readonly creator: ExternalContextCreator;

  constructor(
    shared: ExternalContextCreator,
    private readonly modules: ModulesContainer,
  ) {
    this.creator = Object.create(shared) as ExternalContextCreator;
    Object.defineProperty(this.creator, 'transformToResult', { value: async (result: unknown) => result });
  }

  /**
   * `streams`: the method is declared as a stream (a generator, or `stream: true`); its items then pass the
   * interceptors one by one. Another method's result passes them as one value, even an iterable one.
   */
  create(instance: object, methodName: string, arity: number, streams: boolean): HandlerPipeline {
    const prototype = Object.getPrototypeOf(instance) as Record<string, Function>;
    const method = prototype[methodName];
    const problem = this.scopedEnhancerProblem(prototype.constructor, method);
    if (problem) throw new Error(problem);

    // Guards, pipes and filters need no Observable: through this callback a generator goes back as it is.
    const callback = asNamed(method, function (this: object, ...args: unknown[]) {
      return method.apply(this, args) as unknown;
    });

    const moduleKey = this.creator.getContextModuleKey(instance.constructor as never);
    const internals = this.internals();
    const guards = internals.guardsContextCreator.create(instance, callback, moduleKey);
    const filters = internals.filtersContextCreator.create(instance, callback, moduleKey) as ResolvedFilters;
    const interceptors = internals.interceptorsContextCreator.create(instance, callback, moduleKey);
    const pipes = internals.pipesContextCreator.create(instance, callback, moduleKey);
    // Most methods have no enhancer at all (nor does the app): they are called as before, without Nest's per-call
    // machinery (an interceptor chain and a pipe pass per argument) on the queue's hot path.
    if (guards.length + filters.filters.length + interceptors.length + pipes.length === 0) {
      return {
        authorize: () => undefined,
        run: (_request, args) => method.apply(instance, args) as unknown,
        runSeesRequest: false,
      };
    }

    defineArgumentParams(prototype.constructor, methodName, arity);
    const contextFor = (handler: Function) =>
      this.creator.create(
        instance,
        handler as (...args: unknown[]) => unknown,
        methodName,
        HANDLER_ARGS_METADATA,
        {
          exchangeKeyForValue: (_type: number, data: number, args: unknown[]) =>
            (args[ARGUMENTS_INDEX] as unknown[])[data],
        },
        undefined,
        undefined,
        { guards: false, interceptors: true, filters: false },
        GRADIO_CONTEXT_TYPE,
      );
    // Interceptors are written against an Observable (`next.handle().pipe(…)`), so with them a generator becomes
    // one, made by the call's puller, which steps the generator only as the queue takes its items. Nest calls the
    // method once the interceptors' chain is subscribed, after `run` returned: the puller reaches it only inside the
    // callback Nest was given, so such a method gets a context per call, its callback holding that call's puller.
    // Those calls are long generator runs, which making a context (a few µs) hardly adds to; any other call shares
    // one. (Not an AsyncLocalStorage, whose first use turns on Node's async hooks for the whole process. The cost:
    // such a method's interceptors see a new `getHandler()` function per call, with the method's name and metadata.)
    const pullsPerCall = streams && interceptors.length > 0;
    const shared = pullsPerCall ? undefined : contextFor(callback);
    const targetFor = (pull: StreamPuller | undefined) =>
      shared ?? contextFor(pullingCallback(method, pull ?? drainingPuller));

    const host = (contextArgs: HandlerContextArgs): ExecutionContextHost => {
      const context = new ExecutionContextHost(contextArgs, instance.constructor as never, callback);
      context.setType(GRADIO_CONTEXT_TYPE);
      return context;
    };
    // A filter's return value becomes the result; without filters the error goes on as it was (Nest's fallback
    // would log every handler error with its stack, which the queue already reports to the caller).
    const handleError = (error: unknown, contextArgs: HandlerContextArgs): unknown => {
      if (filters.filters.length === 0) throw error;
      return filters.next(error, host(contextArgs));
    };

    const authorize = async (request: unknown, response: unknown, purpose: GuardPurpose): Promise<void> => {
      const allowed = await internals.guardsConsumer.tryActivate(
        guards,
        [request, response, guardArguments(purpose)],
        instance,
        callback,
        GRADIO_CONTEXT_TYPE,
      );
      if (!allowed) throw new ForbiddenException('Forbidden resource');
    };

    return {
      // Pipes see the arguments only; guards ran before the event was queued.
      runSeesRequest: interceptors.length + filters.filters.length > 0,
      // Without guards there is nothing to wait for, so no promise on the queue's hot path.
      authorize: (request, response, purpose = 'call') =>
        guards.length === 0 ? undefined : authorize(request, response, purpose),
      run: async (request, args, pull) => {
        const contextArgs: HandlerContextArgs = [request, undefined, args];
        const target = targetFor(pull);
        let result: unknown;
        try {
          result = await target(...contextArgs);
        } catch (error) {
          return settleFiltered(handleError(error, contextArgs));
        }
        if (streams && isObservable(result)) {
          return result.pipe(
            catchError((error: unknown) => defer(() => toObservable(handleError(error, contextArgs)))),
          );
        }
        if (streams && isPulledStream(result) && filters.filters.length > 0) {
          return filteredItems(result, (error) => handleError(error, contextArgs));
        }
        if (!isObservable(result)) return result;
        try {
          return await lastValueFrom(result, { defaultValue: undefined });
        } catch (error) {
          return settleFiltered(handleError(error, contextArgs));
        }
      },
    };
  }

  /**
   * Enhancers that live per request (request-scoped, or depending on a request-scoped provider) cannot be resolved
   * outside an HTTP request's own context; Nest would skip them silently, so a guard would not guard. Names the first
   * such enhancer of the method, for a bootstrap error, or answers undefined.
   */
  scopedEnhancerProblem(classRef: Function, method: Function): string | undefined {
    const declared = [GUARDS_METADATA, INTERCEPTORS_METADATA, PIPES_METADATA, EXCEPTION_FILTERS_METADATA].flatMap(
      (key) => [
        ...((Reflect.getMetadata(key, classRef) as unknown[] | undefined) ?? []),
        ...((Reflect.getMetadata(key, method) as unknown[] | undefined) ?? []),
      ],
    );
    for (const enhancer of declared) {
      if (typeof enhancer !== 'function') continue;
      const wrapper = this.wrapperOf(enhancer);
      if (wrapper && !wrapper.isDependencyTreeStatic())
        return enhancerScopeMessage(enhancer.name, classRef.name, method.name);
    }
    const config = this.internals().guardsContextCreator.config;
    const [scopedGlobal] = [
      ...config.getGlobalRequestGuards(),
      ...config.getGlobalRequestInterceptors(),
      ...config.getGlobalRequestPipes(),
      ...config.getGlobalRequestFilters(),
    ] as InstanceWrapper[];
    return scopedGlobal && enhancerScopeMessage(String(scopedGlobal.name), classRef.name, method.name);
  }

  private wrapperOf(enhancer: Function): InstanceWrapper | undefined {
    for (const moduleRef of this.modules.values()) {
      const wrapper = moduleRef.injectables.get(enhancer) ?? moduleRef.providers.get(enhancer);
      if (wrapper) return wrapper;
    }
    return undefined;
  }

  /** The context creators Nest's `ExternalContextCreator` was built with (they hold the app's global enhancers). */
  private internals(): CreatorInternals {
    return this.creator as unknown as CreatorInternals;
  }
}

interface CreatorInternals {
  guardsContextCreator: {
    create(instance: object, callback: Function, module: string): unknown[];
    config: {
      getGlobalRequestGuards(): unknown[];
      getGlobalRequestInterceptors(): unknown[];
      getGlobalRequestPipes(): unknown[];
      getGlobalRequestFilters(): unknown[];
    };
  };
  guardsConsumer: {
    tryActivate(
      guards: unknown[],
      args: unknown[],
      instance: object,
      callback: Function,
      type: string,
    ): Promise<boolean>;
  };
  filtersContextCreator: { create(instance: object, callback: Function, module: string): unknown };
  interceptorsContextCreator: { create(instance: object, callback: Function, module: string): unknown[] };
  pipesContextCreator: { create(instance: object, callback: Function, module: string): unknown[] };
}

/**
 * Records, for `ExternalContextCreator`'s param factory, that parameter `i` of the method is the `i`-th value of the
 * arguments list; pipes then receive each argument with its `design:paramtypes` class as the metatype.
 */
function defineArgumentParams(target: Function, methodName: string, arity: number): void {
  const params: Record<string, { index: number; data: number }> = {};
  for (let index = 0; index < arity; index++) params[`${ARGUMENT_PARAM_TYPE}:${index}`] = { index, data: index };
  Reflect.defineMetadata(HANDLER_ARGS_METADATA, params, target, methodName);
}

/**
 * A wrapper of the method that carries the method's own metadata (guards, interceptors, `@SetMetadata` values) and
 * name, so that `Reflector` and `context.getHandler()` see the method itself.
 */
function asNamed(method: Function, wrapper: Function): Function {
  for (const key of Reflect.getMetadataKeys(method)) {
    Reflect.defineMetadata(key, Reflect.getMetadata(key, method), wrapper);
  }
  Object.defineProperty(wrapper, 'name', { value: method.name });
  return wrapper;
}

/** Without a puller (a caller outside the queue), an Observable that runs the generator as fast as it goes. */
const drainingPuller: StreamPuller = (stream) => from(stream as AsyncIterable<unknown>);

/**
 * The method as one call of a streaming method with interceptors runs it: its generator comes back as an Observable
 * that the call's `pull` made, for the interceptors to pipe.
 */
function pullingCallback(method: Function, pull: StreamPuller): Function {
  return asNamed(method, function (this: object, ...args: unknown[]) {
    const result = method.apply(this, args) as unknown;
    const toItems = (value: unknown): unknown => asObservable(value, pull);
    return isPromiseLike(result) ? Promise.resolve(result).then(toItems) : toItems(result);
  });
}

/** A stream's items as an Observable made by `pull` (a generator object or an async iterable); anything else unchanged. */
function asObservable(value: unknown, pull: StreamPuller): unknown {
  return isPulledStream(value) ? pull(value) : value;
}

/** A generator object or an async iterable: a stream pulled item by item (an Observable pushes its own). */
function isPulledStream(value: unknown): value is AsyncIterable<unknown> | Iterable<unknown> {
  if (isObservable(value) || typeof value !== 'object' || value === null) return false;
  return Symbol.asyncIterator in value || Object.prototype.toString.call(value) === '[object Generator]';
}

/**
 * A generator's items, and, if it throws, what the exception filters make of the error — the values of the
 * Observable a filter returns, or its value — as with interceptors, where they follow the stream's items. Pulled
 * like the generator itself, and returning it when returned.
 */
async function* filteredItems(
  stream: AsyncIterable<unknown> | Iterable<unknown>,
  handle: (error: unknown) => unknown,
): AsyncGenerator<unknown> {
  try {
    yield* stream;
  } catch (error) {
    const handled = handle(error);
    if (isObservable(handled)) yield* await lastValueFrom(handled.pipe(toArray()));
    else yield await handled;
  }
}

function toObservable(value: unknown): Observable<unknown> {
  return isObservable(value) ? value : from(Promise.resolve(value));
}

async function settleFiltered(value: unknown): Promise<unknown> {
  return isObservable(value) ? lastValueFrom(value, { defaultValue: undefined }) : value;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
