import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { GRADIO_API_METADATA, GRADIO_MODULE_OPTIONS } from '../gradio.constants.js';
import type { GradioApiOptions } from '../interfaces/gradio-api-options.interface.js';
import type { ResolvedGradioOptions } from '../interfaces/gradio-module-options.interface.js';
import { createEndpoint } from './endpoint.factory.js';
import { EndpointRegistry } from './endpoint.registry.js';

/**
 * Finds every `@GradioApi()` method of the application's providers and controllers at bootstrap and registers its
 * endpoint model, in declaration order (which gives each its `fn_index`).
 */
@Injectable()
export class EndpointExplorer implements OnModuleInit {
  private readonly logger = new Logger('GradioModule');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly registry: EndpointRegistry,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  onModuleInit(): void {
    const seen = new Set<object>();
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      this.explore(wrapper, seen);
    }
    const count = this.registry.all().length;
    this.logger.log(`Discovered ${count} Gradio endpoint${count === 1 ? '' : 's'}.`);
  }

  private explore(wrapper: InstanceWrapper, seen: Set<object>): void {
    const instance = wrapper.instance as object | undefined;
    const prototype = instance ? Object.getPrototypeOf(instance) : wrapper.metatype?.prototype;
    if (!prototype || typeof prototype !== 'object' || (instance && seen.has(instance))) return;
    const methods = this.scanner
      .getAllMethodNames(prototype)
      .map((name) => [name, this.reflector.get<GradioApiOptions>(GRADIO_API_METADATA, prototype[name])] as const)
      .filter(([, options]) => options !== undefined);
    if (methods.length === 0) return;
    if (!wrapper.isDependencyTreeStatic() || !instance) {
      throw new Error(
        `${wrapper.name as string} has @GradioApi() methods but is request-scoped; Gradio endpoints need a singleton provider.`,
      );
    }
    seen.add(instance);
    for (const [methodName, options] of methods) {
      this.registry.register(
        createEndpoint(instance, methodName, options, {
          id: this.registry.nextId(),
          takenNames: this.registry.takenNames(),
          defaultConcurrencyLimit: this.options.defaultConcurrencyLimit,
        }),
      );
    }
  }
}
