import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ApiInfoModule } from './docs/api-info.module.js';
import { EndpointExplorer } from './discovery/endpoint.explorer.js';
import { GradioMetadataAccessor } from './discovery/gradio-metadata.accessor.js';
import { FileProcessor } from './files/file-processor.service.js';
import { FilesModule } from './files/files.module.js';
import { EndpointRegistry } from './discovery/endpoint.registry.js';
import { GRADIO_MODULE_OPTIONS } from './kernel/gradio.constants.js';
import { resolveGradioOptions } from './options/gradio-options.js';
import type {
  GradioModuleAsyncOptions,
  GradioModuleOptions,
  GradioOptionsFactory,
  ResolvedGradioOptions,
} from './options/gradio-module-options.interface.js';
import { AuthModule } from './auth/auth.module.js';
import { CorsModule } from './cors/cors.module.js';
import { ProtocolModule } from './protocol/protocol.module.js';
import { McpModule } from './mcp/mcp.module.js';
import { EVENT_FILES } from './queue/event-files.port.js';
import { QueueModule } from './queue/queue.module.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { metricsRoute } from './observability/metrics.controller.js';
import { GradioRoutesEnd, GradioRoutesStart } from './http/route-precedence.js';
import { QUEUE_BACKEND } from './queue/queue-backend.port.js';
import { connectDistributedBackend } from './distributed/distributed-queue.backend.js';

const GRADIO_RAW_OPTIONS = Symbol('GRADIO_RAW_OPTIONS');

/**
 * Serves the application's `@GradioApi()` methods with Gradio's protocol, queue and API docs. Import it once, in
 * the root module, next to the application's own controllers.
 *
 * @publicApi
 */
@Module({})
export class GradioModule {
  static forRoot(options: GradioModuleOptions = {}): DynamicModule {
    const resolved = resolveGradioOptions(options);
    return GradioModule.create([{ provide: GRADIO_MODULE_OPTIONS, useValue: resolved }], [], resolved);
  }

  static forRootAsync(options: GradioModuleAsyncOptions): DynamicModule {
    const resolved: Provider = {
      provide: GRADIO_MODULE_OPTIONS,
      useFactory: (raw: GradioModuleOptions) => resolveGradioOptions(raw),
      inject: [GRADIO_RAW_OPTIONS],
    };
    return GradioModule.create([...GradioModule.asyncProviders(options), resolved], options.imports ?? []);
  }

  private static create(
    optionProviders: Provider[],
    imports: DynamicModule['imports'] = [],
    resolved?: ResolvedGradioOptions,
  ): DynamicModule {
    // The scrape route's path is an option, so each module gets a route of its own (none when metrics are off).
    const metrics = metricsRoute(resolved);
    return {
      module: GradioModule,
      global: true,
      // AuthModule before ApiInfoModule: its `GET /` shows the login page, else hands over to the API page.
      imports: [
        ...imports,
        DiscoveryModule,
        QueueModule,
        AuthModule,
        CorsModule,
        FilesModule,
        ApiInfoModule,
        ProtocolModule,
        McpModule,
        ObservabilityModule,
      ],
      controllers: metrics.controllers.length > 0 ? [GradioRoutesStart, ...metrics.controllers, GradioRoutesEnd] : [],
      providers: [
        ...optionProviders,
        ...metrics.providers,
        EndpointRegistry,
        GradioMetadataAccessor,
        EndpointExplorer,
        // The queue owns the port; the files feature implements it.
        { provide: EVENT_FILES, useExisting: FileProcessor },
        // Distributed mode (option redis): the queue lives in Redis; connecting fails the bootstrap if it cannot.
        {
          provide: QUEUE_BACKEND,
          useFactory: (options: ResolvedGradioOptions) =>
            options.distributed ? connectDistributedBackend(options.distributed) : null,
          inject: [GRADIO_MODULE_OPTIONS],
        },
      ],
      // Global: the options, the registry, the metadata reader and the port reach every feature module;
      // EndpointRegistry is public; AuthModule (with the metadata reader) lets an application's own controllers
      // use GradioAuthGuard; ObservabilityModule gives their health checks GradioHealthIndicator; McpModule lets
      // providers notify MCP subscribers (McpResourceUpdates). Nothing else is exported.
      exports: [
        GRADIO_MODULE_OPTIONS,
        EndpointRegistry,
        GradioMetadataAccessor,
        EVENT_FILES,
        QUEUE_BACKEND,
        AuthModule,
        ObservabilityModule,
        McpModule,
      ],
    };
  }

  private static asyncProviders(options: GradioModuleAsyncOptions): Provider[] {
    if (options.useFactory) {
      return [{ provide: GRADIO_RAW_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] }];
    }
    const factoryClass = options.useClass ?? options.useExisting;
    if (!factoryClass) throw new Error('GradioModule.forRootAsync() needs useFactory, useClass or useExisting.');
    const factoryProvider: Provider[] = options.useClass
      ? [{ provide: options.useClass, useClass: options.useClass }]
      : [];
    return [
      ...factoryProvider,
      {
        provide: GRADIO_RAW_OPTIONS,
        useFactory: (factory: GradioOptionsFactory) => factory.createGradioOptions(),
        inject: [factoryClass],
      },
    ];
  }
}
