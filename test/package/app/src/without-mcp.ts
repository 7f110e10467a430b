// The same service in an app that leaves MCP off: it needs neither the MCP SDK nor @nestjs/swagger.
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GradioModule } from 'nest-gradio';
import { CalculatorService } from './calculator.service.js';

@Module({ imports: [GradioModule.forRoot()], providers: [CalculatorService] })
class PlainModule {}

const app = await NestFactory.create(PlainModule, { logger: ['error', 'warn'] });
await app.listen(Number(process.env['PORT'] ?? 7860), '127.0.0.1');
console.log(`* Running on local URL:  http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`);
