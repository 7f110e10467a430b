import { SetMetadata } from '@nestjs/common';
import { GRADIO_PUBLIC_ROUTE_METADATA } from '../kernel/gradio.constants.js';

/**
 * Lets a route of a controller guarded by `GradioAuthGuard` answer without a login, as Gradio leaves
 * `/gradio_api/cancel`, `/gradio_api/reset`, the heartbeat and a few others open.
 * @publicApi
 */
export const GradioPublicRoute = (): MethodDecorator & ClassDecorator =>
  SetMetadata(GRADIO_PUBLIC_ROUTE_METADATA, true);
