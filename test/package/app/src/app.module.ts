import { Module } from '@nestjs/common';
import { GradioModule } from 'nest-gradio';
import { CalculatorService } from './calculator.service.js';

@Module({
  imports: [GradioModule.forRoot({ mcpServer: true })],
  providers: [CalculatorService],
})
export class AppModule {}
