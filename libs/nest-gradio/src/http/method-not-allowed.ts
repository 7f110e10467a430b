import { HttpStatus, Injectable, MethodNotAllowedException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { METHODS } from 'node:http';
import { methodNotAllowedMessage } from '../kernel/gradio.messages.js';
import { type HttpRequest, type HttpResponse, nodeResponseOf, requestPathOf, sendRaw } from './http-exchange.js';

/** Nest's not-found handler, as the adapters take it: a middleware on Express, Fastify's not-found handler. */
type NotFoundHandler = (request: HttpRequest, response: HttpResponse, next?: () => void) => unknown;

/** What this uses of Nest's HTTP adapter. */
interface Adapter {
  getType(): string;
  getInstance(): unknown;
  setNotFoundHandler(handler: NotFoundHandler, ...rest: unknown[]): unknown;
  setHeader(response: HttpResponse, name: string, value: string): unknown;
  reply(response: HttpResponse, body: unknown, statusCode?: number): unknown;
}

interface ExpressLayer {
  route?: { methods: Record<string, boolean>; stack: { handle: unknown }[] };
  match(path: string): unknown;
}

/** A Fastify hook's callback. */
type Done = (error: Error | null, payload?: unknown) => void;

interface FastifyRouter {
  supportedMethods?: string[];
  findRoute(options: { method: string; url: string }): unknown;
  setNotFoundHandler(options: { preParsing: unknown[] }, handler: NotFoundHandler): unknown;
}

/** The adapter methods through which Nest (and `@nestjs/swagger`) add routes; Nest middleware does not use them. */
const ROUTE_METHODS = [
  'get',
  'post',
  'put',
  'delete',
  'patch',
  'head',
  'options',
  'all',
  'search',
  'query',
  'propfind',
  'proppatch',
  'mkcol',
  'copy',
  'move',
  'lock',
  'unlock',
] as const;

/** The order in which `Allow` lists methods; any other comes after them, `OPTIONS` last. */
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

const INSTALLED = Symbol('nest-gradio.methodNotAllowed');

/** A route's own refusal of a method on some of the paths its pattern matches (see `refuseOn`). */
export type MethodRefusal = (method: string, path: string) => boolean;

/**
 * A request whose path the application routes, but not with the request's method, gets 405 with an `Allow` header
 * (RFC 9110 §15.5.6) instead of the 404 of a path that does not exist — on every route of the application, as in
 * Gradio's Server mode, whose FastAPI router answers so: a client (or a tool checking an OpenAPI document) learns
 * which methods the path takes. `OPTIONS` on such a path lists them with 204 (a CORS preflight is answered before,
 * by the CORS middleware).
 *
 * It hooks in where Nest installs its not-found handler, which both adapters run only for a request that no route
 * took: routes, their order, middleware, CORS and guards are as before, and a path that no route matches still gets
 * Nest's own 404 through the application's exception filters. The routes are the router's own on Fastify (whose
 * router holds nothing else); on Express, whose router also holds Nest middleware as routes, they are those added
 * through the adapter, as Nest adds routes.
 */
@Injectable()
export class MethodNotAllowed {
  private readonly refusals: MethodRefusal[] = [];

  constructor(adapterHost: HttpAdapterHost) {
    const adapter = adapterHost.httpAdapter as unknown as (Adapter & { [INSTALLED]?: MethodNotAllowed }) | undefined;
    if (!adapter) return;
    // One per adapter, even with several GradioModules; the first one's refusals serve them all.
    const installed = adapter[INSTALLED];
    if (installed) {
      this.refusals = installed.refusals;
      return;
    }
    adapter[INSTALLED] = this;
    const fastify = adapter.getType() === 'fastify' ? (adapter.getInstance() as FastifyRouter) : undefined;
    const routeHandlers = fastify ? undefined : recordRouteHandlers(adapter);
    /** Answers the request if its path is routed for other methods; whether it did. */
    const refused = (request: HttpRequest, response: HttpResponse): boolean => {
      const path = requestPathOf(request);
      const allowed = routedMethods(adapter, path, routeHandlers).filter(
        (method) => !this.refusals.some((refuses) => refuses(method, path)),
      );
      if (allowed.length === 0) return false;
      adapter.setHeader(response, 'Allow', [...allowed, 'OPTIONS'].join(', '));
      if (request.method === 'OPTIONS') {
        adapter.reply(response, undefined, HttpStatus.NO_CONTENT);
      } else {
        const refusal = new MethodNotAllowedException(methodNotAllowedMessage(request.method ?? 'GET', path, allowed));
        adapter.reply(response, refusal.getResponse(), HttpStatus.METHOD_NOT_ALLOWED);
      }
      return true;
    };
    const install = adapter.setNotFoundHandler.bind(adapter);
    adapter.setNotFoundHandler = (notFound: NotFoundHandler, ...rest: unknown[]) => {
      const handler: NotFoundHandler = (request, response, next) =>
        refused(request, response) ? undefined : notFound(request, response, next);
      if (!fastify) return install(handler, ...rest);
      // Fastify reads the body of a request before its not-found handler runs, and refuses a body it cannot parse
      // (or a QUERY without Content-Type) with 400: the 405 is answered before, once its hooks and the middleware
      // (CORS) have run, in a hook of the not-found route alone.
      const beforeBody = (request: HttpRequest, response: HttpResponse, payload: unknown, done: Done): void => {
        if (!refused(request, response)) done(null, payload);
      };
      return fastify.setNotFoundHandler({ preParsing: [beforeBody] }, handler);
    };
  }

  /**
   * Tells the 405 answers that a route refuses a method on some paths its pattern matches (`GET call/v2/<name>`
   * matches `GET call/<name>/<event_id>`, which refuses it), so that `Allow` does not list it there.
   */
  refuseOn(refusal: MethodRefusal): void {
    this.refusals.push(refusal);
  }
}

/** Keeps the handler of every route added through the adapter, to tell routes from middleware in Express's router. */
function recordRouteHandlers(adapter: Adapter): WeakSet<object> {
  const handlers = new WeakSet<object>();
  const methods = adapter as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>;
  for (const name of ROUTE_METHODS) {
    const add = methods[name];
    if (typeof add !== 'function') continue;
    methods[name] = function (this: unknown, ...args: unknown[]) {
      const handler = args.at(-1);
      if (typeof handler === 'function') handlers.add(handler);
      return add.apply(this, args);
    };
  }
  return handlers;
}

/** The methods that routes matching `path` take (`HEAD` with `GET`, which both routers answer), in a fixed order. */
function routedMethods(adapter: Adapter, path: string, routeHandlers: WeakSet<object> | undefined): string[] {
  const found = new Set<string>();
  if (!routeHandlers) {
    const router = adapter.getInstance() as FastifyRouter;
    for (const method of router.supportedMethods ?? METHODS) {
      if (router.findRoute({ method, url: path })) found.add(method);
    }
  } else {
    const stack = (adapter.getInstance() as { router?: { stack?: ExpressLayer[] } }).router?.stack ?? [];
    for (const layer of stack) {
      const route = layer.route;
      if (!route || !route.stack.some((step) => isRecorded(routeHandlers, step.handle)) || !layer.match(path)) continue;
      for (const [method, on] of Object.entries(route.methods)) {
        if (on && method !== '_all') found.add(method.toUpperCase());
      }
    }
    if (found.has('GET')) found.add('HEAD');
  }
  found.delete('OPTIONS');
  return [...found].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function isRecorded(handlers: WeakSet<object>, handle: unknown): boolean {
  return typeof handle === 'function' && handlers.has(handle);
}

function rank(method: string): number {
  const index = METHOD_ORDER.indexOf(method);
  return index < 0 ? METHOD_ORDER.length : index;
}

/**
 * The same answer from inside a route, for a path whose route takes it but whose other form does not (`GET
 * call/v2/<name>`, which the result-stream pattern matches): 405 with the `Allow` header, 204 to `OPTIONS`.
 */
export function refuseMethod(request: HttpRequest, response: HttpResponse, allowed: readonly string[]): void {
  const allow = [...allowed, 'OPTIONS'].join(', ');
  if (request.method === 'OPTIONS') {
    sendRaw(response, HttpStatus.NO_CONTENT, undefined, { Allow: allow });
    return;
  }
  // On the Node response, so that it stays on the error response the adapter sends.
  nodeResponseOf(response).setHeader('Allow', allow);
  throw new MethodNotAllowedException(
    methodNotAllowedMessage(request.method ?? 'GET', requestPathOf(request), allowed),
  );
}
