import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { GradioRoutesEnd, GradioRoutesStart } from '../http/route-precedence.js';
import { QueueModule } from '../queue/queue.module.js';
import { ApiInfoController } from './api-info.controller.js';
import { ApiInfoBuilder } from './api-info.builder.js';
import { DocsState } from './docs-state.js';
import { MonitoringController } from './monitoring/monitoring.controller.js';
import { UsageAnalytics } from './monitoring/usage-analytics.service.js';
import { OpenApiBuilder } from './openapi.builder.js';
import { PageController } from './page.controller.js';
import { ViewApiAssetsController } from './view-api/view-api.controller.js';
import { ViewApiMiddleware } from './view-api/view-api.middleware.js';
import { ViewApiPage } from './view-api/view-api.service.js';

/**
 * The API docs: `/gradio_api/info`, the OpenAPI document, the View API page (at `/` and `/?view=api`) with its
 * assets, and the usage analytics at `/monitoring/summary`.
 */
@Module({
  imports: [QueueModule, AuthModule],
  controllers: [
    GradioRoutesStart,
    ApiInfoController,
    MonitoringController,
    ViewApiAssetsController,
    PageController,
    GradioRoutesEnd,
  ],
  providers: [ApiInfoBuilder, OpenApiBuilder, UsageAnalytics, ViewApiPage, DocsState],
  exports: [ApiInfoBuilder, OpenApiBuilder, UsageAnalytics, DocsState],
})
export class ApiInfoModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ViewApiMiddleware).forRoutes({ path: '/', method: RequestMethod.GET });
  }
}
