import { Module } from '@nestjs/common';
import { GradioRoutesEnd, GradioRoutesStart } from '../protocol/route-precedence.js';
import { ApiInfoController } from './api-info.controller.js';
import { ApiInfoBuilder } from './api-info.builder.js';
import { OpenApiBuilder } from './openapi.builder.js';
import { PageController } from './page.controller.js';

/** The API docs: `/gradio_api/info`, the OpenAPI document and the page at `/`. */
@Module({
  controllers: [GradioRoutesStart, ApiInfoController, PageController, GradioRoutesEnd],
  providers: [ApiInfoBuilder, OpenApiBuilder],
  exports: [ApiInfoBuilder, OpenApiBuilder],
})
export class ApiInfoModule {}
