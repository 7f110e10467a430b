import { Module } from '@nestjs/common';
import { GradioModule } from 'nest-gradio';
import { CalculatorService } from './calculator.service.js';
import { GreeterService } from './greeter.service.js';
import { StreamingService } from './streaming.service.js';
import { UtilitiesService } from './utilities.service.js';

/** The showcase's endpoint providers; tests mount them with their own `GradioModule` options. */
export const SHOWCASE_PROVIDERS = [GreeterService, CalculatorService, StreamingService, UtilitiesService];

/** The showcase app served by `npm start` (see SHOWCASE.md for the endpoints it promises). */
@Module({
  imports: [GradioModule.forRoot({ title: 'nest-gradio showcase' })],
  providers: SHOWCASE_PROVIDERS,
})
export class AppModule {}
