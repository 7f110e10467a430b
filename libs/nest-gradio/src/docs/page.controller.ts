import { Controller, Get, Header, Inject, NotFoundException, Req } from '@nestjs/common';
import type { Request } from 'express';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { ViewApiPage } from './view-api/view-api.service.js';

/**
 * `GET /`: the View API page (`servePage`, on by default). An application's own `GET /` takes precedence; the page
 * then stays at `/?view=api` (see ViewApiMiddleware).
 */
@Controller()
export class PageController {
  constructor(
    private readonly page: ViewApiPage,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  render(@Req() request: Request): string {
    if (!this.options.servePage) throw new NotFoundException();
    return this.page.render(request);
  }
}
