import { Module } from '@nestjs/common';
import { GradioModule } from 'nest-gradio';
import { CalculatorService } from './calculator.service.js';
import { ClientAssetController } from './client-asset.controller.js';
import { PageController } from './page.controller.js';

/** The calculator: two endpoints, plus its own page at `/` (replacing the library's) and the browser client it loads. */
@Module({
  imports: [GradioModule.forRoot({ title: 'Calculator' })],
  controllers: [PageController, ClientAssetController],
  providers: [CalculatorService],
})
export class AppModule {}
