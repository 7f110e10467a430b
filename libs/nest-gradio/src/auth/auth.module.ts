import { Module } from '@nestjs/common';
import { GradioRoutesEnd, GradioRoutesStart } from '../http/route-precedence.js';
import { AuthController } from './auth.controller.js';
import { GradioAuthGuard } from './gradio-auth.guard.js';
import { GradioAuthService } from './gradio-auth.service.js';

/**
 * Gradio's `auth` and `authDependency` (docs/protocol.md#auth): the login routes, and the guard that protects every
 * Gradio route — exported, so that other modules (MCP, the app's own controllers) can use it.
 */
@Module({
  controllers: [GradioRoutesStart, AuthController, GradioRoutesEnd],
  providers: [GradioAuthService, GradioAuthGuard],
  exports: [GradioAuthService, GradioAuthGuard],
})
export class AuthModule {}
