import { Controller, Get, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

const START_PATH = '__nest_gradio_routes_start__';
const END_PATH = '__nest_gradio_routes_end__';

/** Marks where the Gradio routes begin in the router; removed again before the app serves a request. */
@Controller()
export class GradioRoutesStart {
  @Get(START_PATH)
  marker(): void {}
}

/** Marks where the Gradio routes end in the router. */
@Controller()
export class GradioRoutesEnd {
  @Get(END_PATH)
  marker(): void {}
}

interface RouterLayer {
  route?: { path?: string };
}

/** What this uses of a Fastify instance. */
interface FastifyRoutes {
  route(options: FastifyRouteOptions): unknown;
  hasRoute(options: { method: string; url: string; constraints?: unknown }): boolean;
}

interface FastifyRouteOptions {
  method: string | string[];
  url: string;
  constraints?: unknown;
  handler: (this: unknown, request: { params?: Record<string, unknown> }, reply: unknown) => unknown;
}

/**
 * Makes the application's own routes win over Gradio's, as in Gradio's Server mode (a user `GET /` replaces the
 * built-in page). Nest registers routes module by module in import order, so a feature module imported after
 * `GradioModule` would otherwise lose.
 *
 * - Express tries routes in order: between Nest registering the routes and adding its 404 handler, this moves every
 *   block of Gradio routes — each found between a pair of marker routes — to the end of the Express router, and drops
 *   the markers.
 * - Fastify's router has no order (the most specific pattern wins) and refuses a second handler for a method and path.
 *   So Gradio's routes are held back while Nest registers routes (from this provider's construction, which comes
 *   first) and added afterwards, each only for the methods that no route of the same path has taken: the application's
 *   route of the same method and path serves it, and within Gradio the first route of a path wins, as on Express.
 *   A Gradio route of a more specific pattern than an application route still wins on Fastify (`/config` over
 *   `/:page`), which is how that router works for every route.
 */
@Injectable()
export class RoutePrecedence implements OnModuleInit {
  private addHeldRoutes?: () => void;

  constructor(private readonly adapterHost: HttpAdapterHost) {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() === 'fastify') this.holdGradioRoutes(adapter.getInstance() as FastifyRoutes);
  }

  onModuleInit(): void {
    if (this.addHeldRoutes) {
      this.addHeldRoutes();
      this.addHeldRoutes = undefined;
      return;
    }
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'express') return;
    const stack = (adapter.getInstance() as { router?: { stack?: RouterLayer[] } }).router?.stack;
    if (!stack) return;
    const gradioRoutes: RouterLayer[] = [];
    for (let start = findMarker(stack, START_PATH, 0); start >= 0; start = findMarker(stack, START_PATH, start)) {
      const end = findMarker(stack, END_PATH, start);
      if (end < 0) break;
      gradioRoutes.push(...stack.splice(start, end - start + 1).slice(1, -1));
    }
    stack.push(...servedOftenFirst(gradioRoutes));
  }

  private holdGradioRoutes(instance: FastifyRoutes): void {
    const register = instance.route;
    const held: FastifyRouteOptions[] = [];
    let inGradioBlock = false;
    instance.route = function (this: FastifyRoutes, options: FastifyRouteOptions) {
      if (options.url.endsWith(START_PATH)) inGradioBlock = true;
      else if (options.url.endsWith(END_PATH)) inGradioBlock = false;
      else if (inGradioBlock) held.push(options);
      else return register.call(this, options);
      return this;
    };
    this.addHeldRoutes = () => {
      instance.route = register;
      for (const options of held) {
        const route = withFastifyWildcard(options);
        // With and without a trailing slash, as Express's router matches them (and the MCP URL ends with one); a
        // method either form of the path already has is not Gradio's on either.
        const urls = /[/*]$/.test(route.url) ? [route.url] : [route.url, `${route.url}/`];
        const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((method) =>
          urls.every((url) => !instance.hasRoute({ method, url, constraints: route.constraints })),
        );
        if (methods.length === 0) continue;
        for (const url of urls) {
          register.call(instance, { ...route, url, method: methods.length === 1 ? (methods[0] as string) : methods });
        }
      }
    };
  }
}

/**
 * Gradio's routes are written for path-to-regexp (`file=*path`), whose named wildcard Fastify's router does not read:
 * there the wildcard is a bare `*`, and its value `params['*']`. The route gets the bare wildcard, and its handler the
 * value under the name it expects.
 */
function withFastifyWildcard(route: FastifyRouteOptions): FastifyRouteOptions {
  const wildcard = /\{?\*(\w+)\}?$/.exec(route.url);
  if (!wildcard) return route;
  const name = wildcard[1] as string;
  const handler = route.handler;
  return {
    ...route,
    url: `${route.url.slice(0, wildcard.index)}*`,
    handler(request, reply) {
      if (request.params) request.params[name] = request.params['*'];
      return handler.call(this, request, reply);
    },
  };
}

/**
 * The routes every call takes (MCP POST, queue join and stream, call/, heartbeat), moved ahead of Gradio's other
 * routes, in their order: Express tries each route in turn, so a call no longer tests its path against every route
 * before. Only Gradio's routes are reordered, and none of the others can match a request of these (their paths
 * are other literals or under `file=`/`file/`); the application's routes still come first.
 */
const SERVED_OFTEN = [
  /\/gradio_api\/mcp$/,
  /\/gradio_api\/queue\/(join|data)$/,
  /\/gradio_api\/call\/(v2\/)?:apiName(\/:eventId)?$/,
  /\/gradio_api\/heartbeat\/:sessionHash$/,
];

function servedOftenFirst(routes: RouterLayer[]): RouterLayer[] {
  const often = (layer: RouterLayer) => SERVED_OFTEN.some((pattern) => pattern.test(layer.route?.path ?? ''));
  return [...routes.filter(often), ...routes.filter((layer) => !often(layer))];
}

function findMarker(stack: RouterLayer[], marker: string, from: number): number {
  for (let index = from; index < stack.length; index++) {
    if (stack[index]?.route?.path?.endsWith(marker)) return index;
  }
  return -1;
}
