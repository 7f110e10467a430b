import { Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { AppConfigBuilder } from './app-config.builder.js';
import { CallController } from './call.controller.js';
import { ConfigController } from './config.controller.js';
import { QueueController } from './queue.controller.js';
import { MethodNotAllowed } from '../http/method-not-allowed.js';
import { GradioRoutesEnd, GradioRoutesStart, RoutePrecedence } from '../http/route-precedence.js';
import { RunController } from './run.controller.js';
import { SessionController } from './session.controller.js';

/** Gradio's HTTP protocol: `/config` and the routes under `/gradio_api` that the clients call. */
@Module({
  imports: [QueueModule, AuthModule],
  controllers: [
    GradioRoutesStart,
    ConfigController,
    QueueController,
    CallController,
    RunController,
    SessionController,
    GradioRoutesEnd,
  ],
  providers: [AppConfigBuilder, RoutePrecedence, MethodNotAllowed],
})
export class ProtocolModule {}
