import { Module } from '@nestjs/common';
import { GradioModule, type GradioModuleOptions } from 'nest-gradio';
import { AssistantService } from './assistant.service.js';
import { CalculatorService } from './calculator.service.js';
import { FilesService } from './files.service.js';
import { GreeterService } from './greeter.service.js';
import { StreamingService } from './streaming.service.js';
import { UtilitiesService } from './utilities.service.js';

/** The showcase's endpoint providers; tests mount them with their own `GradioModule` options. */
export const SHOWCASE_PROVIDERS = [
  GreeterService,
  CalculatorService,
  StreamingService,
  UtilitiesService,
  AssistantService,
  FilesService,
];

/** The showcase's module options (the parity test starts its Gradio twin with the same). */
// Metrics on: Prometheus can scrape the showcase at /metrics (README "Production").
export const SHOWCASE_OPTIONS: GradioModuleOptions = { title: 'nest-gradio showcase', mcpServer: true, metrics: true };

/** The showcase app served by `npm start` (see the README's showcase table for the endpoints it promises). */
@Module({
  imports: [GradioModule.forRoot(SHOWCASE_OPTIONS)],
  providers: SHOWCASE_PROVIDERS,
})
export class AppModule {}
