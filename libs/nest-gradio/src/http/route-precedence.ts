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

/**
 * Makes the application's own routes win over Gradio's, as in Gradio's Server mode (a user `GET /` replaces the
 * built-in page). Nest registers routes module by module in import order, so a feature module imported after
 * `GradioModule` would otherwise lose. Between Nest registering the routes and adding its 404 handler, this moves
 * every block of Gradio routes — each found between a pair of marker routes — to the end of the Express router,
 * and drops the markers.
 */
@Injectable()
export class RoutePrecedence implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
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
    stack.push(...gradioRoutes);
  }
}

function findMarker(stack: RouterLayer[], marker: string, from: number): number {
  for (let index = from; index < stack.length; index++) {
    if (stack[index]?.route?.path?.endsWith(marker)) return index;
  }
  return -1;
}
