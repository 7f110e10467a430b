import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { GradioCorsMiddleware } from './gradio-cors.middleware.js';

/** Applies Gradio's CORS rules to the whole application, as Gradio's middleware wraps its whole app. */
@Module({ providers: [GradioCorsMiddleware] })
export class CorsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(GradioCorsMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
