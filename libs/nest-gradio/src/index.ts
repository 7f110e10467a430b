// The public API of nest-gradio. Everything exported here is public and guarded by index.spec.ts; add with care.
export { GradioModule } from './gradio.module.js';
export type {
  GradioModuleAsyncOptions,
  GradioModuleOptions,
  GradioOptionsFactory,
} from './interfaces/gradio-module-options.interface.js';

export { GradioApi } from './decorators/gradio-api.decorator.js';
export { Arg } from './decorators/arg.decorator.js';
export { Ctx } from './decorators/ctx.decorator.js';
export type { ApiVisibility, ArgOptions, GradioApiOptions } from './interfaces/gradio-api-options.interface.js';

export { Any, Int, dictOf, listOf, literal, nullable, tupleOf, unionOf } from './schema/type-spec.js';
export type { SchemaSpec, TypeSpec } from './schema/type-spec.js';
export type { JsonSchema } from './schema/json-schema.interface.js';

export { currentEvent } from './queue/event-context.js';
export type {
  AlertOptions,
  EventContext,
  GradioRequest,
  ProgressOptions,
} from './interfaces/event-context.interface.js';

export { GradioError } from './errors/gradio.error.js';
export type { GradioErrorOptions } from './errors/gradio.error.js';

export { EndpointRegistry } from './discovery/endpoint.registry.js';
export type { Endpoint, EndpointOutput, EndpointParameter } from './discovery/endpoint.interface.js';

export { launch } from './launch.js';
export type { LaunchOptions } from './launch.js';
