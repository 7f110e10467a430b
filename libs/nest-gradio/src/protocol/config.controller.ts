import { Controller, Get, Header, Inject, Req, UseGuards } from '@nestjs/common';
import type { HttpRequest } from '../http/http-exchange.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { AppConfigBuilder } from './app-config.builder.js';
import { GradioAuthGuard } from '../auth/gradio-auth.guard.js';
import { requestUserOf } from '../http/request-user.js';
import { rootUrlOf } from '../http/root-url.js';
import { DocumentedRoute } from '../http/route-doc.js';
import { CONFIG_DOC } from './protocol.route-docs.js';

/** `GET /config`: at the app root, not under `/gradio_api`; both clients start here. */
@Controller()
@UseGuards(GradioAuthGuard)
export class ConfigController {
  constructor(
    private readonly config: AppConfigBuilder,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  @Get('config')
  @DocumentedRoute(CONFIG_DOC)
  @Header('Content-Type', 'application/json')
  getConfig(@Req() request: HttpRequest): string {
    return this.config.render(rootUrlOf(request, this.options.rootPath), requestUserOf(request));
  }
}
