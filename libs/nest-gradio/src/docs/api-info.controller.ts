import { Controller, Get, Header, Inject, Query, Req, UseGuards } from '@nestjs/common';
import type { HttpRequest } from '../http/http-exchange.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { GradioAuthGuard } from '../auth/gradio-auth.guard.js';
import { rootUrlOf } from '../http/root-url.js';
import { ApiInfoBuilder } from './api-info.builder.js';
import { OpenApiBuilder, type OpenApiDocument } from './openapi.builder.js';
import { DocumentedRoute } from '../http/route-doc.js';
import { GRADIO_OPENAPI_DOC, INFO_DOC } from './api-docs.route-docs.js';

/** The machine-readable API docs: Gradio's `/gradio_api/info` and its OpenAPI document. */
@Controller('gradio_api')
@UseGuards(GradioAuthGuard)
export class ApiInfoController {
  constructor(
    private readonly info: ApiInfoBuilder,
    private readonly openApi: OpenApiBuilder,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  /** Any non-empty `all_endpoints` counts as true, as in Gradio (the Python client sends `True`). */
  @Get('info')
  @DocumentedRoute(INFO_DOC)
  @Header('Content-Type', 'application/json')
  getInfo(@Req() request: HttpRequest, @Query('all_endpoints') allEndpoints?: unknown): string {
    return this.info.render(
      rootUrlOf(request, this.options.rootPath),
      typeof allEndpoints === 'string' && allEndpoints.length > 0,
    );
  }

  @Get('openapi.json')
  @DocumentedRoute(GRADIO_OPENAPI_DOC)
  getOpenApi(@Req() request: HttpRequest): OpenApiDocument {
    return this.openApi.build(rootUrlOf(request, this.options.rootPath));
  }
}
