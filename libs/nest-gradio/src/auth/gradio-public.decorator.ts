import { SetMetadata } from '@nestjs/common';

export const GRADIO_PUBLIC_ROUTE = 'nest-gradio:public-route';

/**
 * Lets a route of a controller guarded by `GradioAuthGuard` answer without a login, as Gradio leaves
 * `/gradio_api/cancel`, `/gradio_api/reset`, the heartbeat and a few others open.
 * @publicApi
 */
export const GradioPublicRoute = (): MethodDecorator & ClassDecorator => SetMetadata(GRADIO_PUBLIC_ROUTE, true);
