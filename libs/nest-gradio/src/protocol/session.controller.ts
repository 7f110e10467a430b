import { type BeforeApplicationShutdown, Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { startEventStream } from '../http/sse.js';
import { type HttpResponse, onceClosed, takeOverResponse } from '../http/http-exchange.js';
import { DocumentedRoute } from '../http/route-doc.js';
import { APP_ID_DOC, HEARTBEAT_DOC, STARTUP_EVENTS_DOC } from './protocol.route-docs.js';

/** Routes the clients use to watch the server itself: the heartbeat stream, start-up and the app's identity. */
@Controller('gradio_api')
export class SessionController implements BeforeApplicationShutdown {
  private started = false;
  private readonly heartbeats = new Set<ServerResponse>();

  constructor(@Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions) {}

  /**
   * The Python client keeps this stream open for its whole life with a 20 s read timeout, so it must hear something
   * well within that: `ALIVE` at once, then every heartbeat interval.
   */
  @Get('heartbeat/:sessionHash')
  @DocumentedRoute(HEARTBEAT_DOC)
  heartbeat(@Res() reply: HttpResponse): void {
    const response = takeOverResponse(reply);
    startEventStream(response);
    response.write('data: ALIVE\n\n');
    const timer = setInterval(() => response.write('data: ALIVE\n\n'), this.options.heartbeatInterval * 1000);
    this.heartbeats.add(response);
    onceClosed(response, () => {
      clearInterval(timer);
      this.heartbeats.delete(response);
    });
  }

  /** Heartbeat streams never end on their own; end them so that the HTTP server can close. */
  beforeApplicationShutdown(): void {
    for (const response of this.heartbeats) response.end();
  }

  /** `true` the first time it is called, `false` afterwards (Gradio starts its queue workers on this call). */
  @Get('startup-events')
  @DocumentedRoute(STARTUP_EVENTS_DOC)
  // JSON, as Gradio answers: Express would send a bare boolean as HTML.
  @Header('Content-Type', 'application/json')
  startupEvents(): string {
    const first = !this.started;
    this.started = true;
    return JSON.stringify(first);
  }

  @Get('app_id')
  @DocumentedRoute(APP_ID_DOC)
  appId(): { app_id: number } {
    return { app_id: this.options.appId };
  }
}
