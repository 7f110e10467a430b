import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, ExternalContextCreator, MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { GradioApiOptions } from '../options/gradio-api-options.interface.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import type { McpDeclaration } from '../decorators/mcp-declaration.js';
import { createEndpoint } from './endpoint.factory.js';
import { EndpointRegistry } from './endpoint.registry.js';
import { GradioMetadataAccessor } from './gradio-metadata.accessor.js';
import { HandlerPipelineFactory } from './handler-pipeline.js';

/** A decorated method found on a provider, waiting to be registered. */
interface FoundMethod {
  instance: object;
  methodName: string;
  apiOptions: GradioApiOptions | undefined;
  mcp: McpDeclaration | undefined;
}

/**
 * Finds every `@GradioApi()` method (and every method with an MCP decorator) of the application's providers and
 * controllers at bootstrap and registers its endpoint model, in declaration order (which gives each its
 * `fn_index`). MCP-only methods are registered after every API endpoint, so that `fn_index` stays contiguous.
 */
@Injectable()
export class EndpointExplorer implements OnModuleInit {
  private readonly logger = new Logger('GradioModule');
  private readonly pipelines: HandlerPipelineFactory;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly metadata: GradioMetadataAccessor,
    private readonly registry: EndpointRegistry,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
    contextCreator: ExternalContextCreator,
    modules: ModulesContainer,
  ) {
    this.pipelines = new HandlerPipelineFactory(contextCreator, modules);
  }

  onModuleInit(): void {
    const seen = new Set<object>();
    const found: FoundMethod[] = [];
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      found.push(...this.explore(wrapper, seen));
    }
    for (const method of found.filter((candidate) => candidate.apiOptions !== undefined)) this.register(method);
    for (const method of found.filter((candidate) => candidate.apiOptions === undefined)) this.register(method);
    const count = this.registry.all().length;
    const mcpOnly = this.registry.mcpOnly().length;
    this.logger.log(
      `Discovered ${count} Gradio endpoint${count === 1 ? '' : 's'}${mcpOnly > 0 ? ` and ${mcpOnly} MCP-only method${mcpOnly === 1 ? '' : 's'}` : ''}.`,
    );
  }

  private explore(wrapper: InstanceWrapper, seen: Set<object>): FoundMethod[] {
    const instance = wrapper.instance as object | undefined;
    const prototype = instance ? Object.getPrototypeOf(instance) : wrapper.metatype?.prototype;
    if (!prototype || typeof prototype !== 'object' || (instance && seen.has(instance))) return [];
    const methods = this.scanner
      .getAllMethodNames(prototype)
      .map((methodName) => ({
        methodName,
        apiOptions: this.metadata.apiOptions(prototype[methodName]),
        mcp: this.metadata.mcpDeclaration(prototype[methodName]),
      }))
      .filter((method) => method.apiOptions !== undefined || method.mcp !== undefined);
    if (methods.length === 0) return [];
    if (!wrapper.isDependencyTreeStatic() || !instance) {
      // A request-scoped enhancer makes its host request-scoped too: name the enhancer, the cause a user can fix.
      for (const { methodName } of methods) {
        const problem = this.pipelines.scopedEnhancerProblem(prototype.constructor, prototype[methodName]);
        if (problem) throw new Error(problem);
      }
      const decorator = methods.some((method) => method.apiOptions !== undefined) ? '@GradioApi()' : 'MCP';
      throw new Error(
        `${wrapper.name as string} has ${decorator} methods but is request-scoped; Gradio endpoints need a singleton provider.`,
      );
    }
    seen.add(instance);
    return methods.map((method) => ({ instance, ...method }));
  }

  private register({ instance, methodName, apiOptions, mcp }: FoundMethod): void {
    this.registry.register(
      createEndpoint(instance, methodName, apiOptions, {
        id: this.registry.nextId(),
        takenNames: this.registry.takenNames(),
        defaultConcurrencyLimit: this.options.defaultConcurrencyLimit,
        metadata: this.metadata,
        pipelineFor: (arity, streams) => this.pipelines.create(instance, methodName, arity, streams),
        mcp: mcp && {
          declaration: mcp,
          taken: this.registry.takenMcpNames(),
          warn: (message) => this.logger.warn(message),
        },
      }),
    );
  }
}
