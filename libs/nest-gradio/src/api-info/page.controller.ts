import { Controller, Get, Header, Inject, NotFoundException, Req } from '@nestjs/common';
import type { Request } from 'express';
import { EndpointRegistry } from '../discovery/endpoint.registry.js';
import { GRADIO_MODULE_OPTIONS } from '../gradio.constants.js';
import type { ResolvedGradioOptions } from '../interfaces/gradio-module-options.interface.js';
import { rootUrlOf } from '../protocol/root-url.js';
import { renderApiPage } from './api-page.renderer.js';

/** `GET /`: the API page (also at `/?view=api`). An application's own `GET /` takes precedence. */
@Controller()
export class PageController {
  constructor(
    private readonly registry: EndpointRegistry,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(@Req() request: Request): string {
    if (!this.options.servePage) throw new NotFoundException();
    return renderApiPage(this.registry.all(), rootUrlOf(request, this.options.rootPath), this.options.title);
  }
}
