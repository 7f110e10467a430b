import { Controller, Get, Header, Inject, UseGuards } from '@nestjs/common';
import { GRADIO_MODULE_OPTIONS } from '../../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../../options/gradio-module-options.interface.js';
import { GradioAuthGuard } from '../../auth/gradio-auth.guard.js';
import { httpDetail } from '../../http/http-detail.js';
import { UsageAnalytics } from './usage-analytics.service.js';
import type { UsageSummary } from './usage-summary.interface.js';
import { DocumentedRoute } from '../../http/route-doc.js';
import { MONITORING_DOC } from '../api-docs.route-docs.js';

/**
 * `GET /monitoring/summary` at the app root, as in Gradio (the View API page reads it there for the usage line of
 * each endpoint), behind the login like Gradio's. With `enableMonitoring: false` it answers Gradio's 403.
 */
@Controller('monitoring')
@UseGuards(GradioAuthGuard)
export class MonitoringController {
  constructor(
    private readonly analytics: UsageAnalytics,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  @Get('summary')
  @DocumentedRoute(MONITORING_DOC)
  @Header('Cache-Control', 'no-store')
  summary(): UsageSummary {
    if (!this.options.enableMonitoring) throw httpDetail(403, 'Monitoring is not enabled.');
    return this.analytics.getSummary();
  }
}
