import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import type { ParamDeclaration } from '../decorators/arg.decorator.js';
import type { McpDeclaration } from '../decorators/mcp-declaration.js';
import {
  GRADIO_API_METADATA,
  GRADIO_MCP_METADATA,
  GRADIO_PARAMS_METADATA,
  GRADIO_PUBLIC_ROUTE_METADATA,
} from '../kernel/gradio.constants.js';
import type { GradioApiOptions } from '../options/gradio-api-options.interface.js';
import { readPluginMetadata, type PluginMethodMetadata } from './plugin-metadata.reader.js';

/**
 * The one reader of what the decorators recorded (`@GradioApi`, `@Arg`/`@Ctx`, the MCP decorators,
 * `@GradioPublicRoute`) and of the
 * types TypeScript emitted for a method. The explorer, the endpoint factory and the test fixtures all read through
 * it, so a change of how metadata is stored touches the decorators and this class only.
 */
@Injectable()
export class GradioMetadataAccessor {
  /** The `@GradioApi()` options of a method, or undefined when it has none. */
  apiOptions(method: unknown): GradioApiOptions | undefined {
    return isFunction(method)
      ? (Reflect.getMetadata(GRADIO_API_METADATA, method) as GradioApiOptions | undefined)
      : undefined;
  }

  /** The MCP decorator recorded on a method (tool, resource or prompt), if any. */
  mcpDeclaration(method: unknown): McpDeclaration | undefined {
    return isFunction(method)
      ? (Reflect.getMetadata(GRADIO_MCP_METADATA, method) as McpDeclaration | undefined)
      : undefined;
  }

  /** What `@Arg()` and `@Ctx()` recorded for the parameters of `prototype[methodName]`. */
  paramDeclarations(prototype: object, methodName: string): ParamDeclaration[] {
    return (Reflect.getMetadata(GRADIO_PARAMS_METADATA, prototype, methodName) as ParamDeclaration[] | undefined) ?? [];
  }

  /** The parameter types TypeScript emitted (`design:paramtypes`); empty without decorator metadata. */
  paramTypes(prototype: object, methodName: string): unknown[] {
    return (Reflect.getMetadata('design:paramtypes', prototype, methodName) as unknown[] | undefined) ?? [];
  }

  /** The return type TypeScript emitted (`design:returntype`), if any. */
  returnType(prototype: object, methodName: string): unknown {
    return Reflect.getMetadata('design:returntype', prototype, methodName);
  }

  /** What the compiler plugin recorded from the method's TypeScript signature and JSDoc, if it ran. */
  pluginMetadata(prototype: object, methodName: string): PluginMethodMetadata | undefined {
    return readPluginMetadata(prototype, methodName);
  }

  /** Whether `@GradioPublicRoute()` marks the route handler or, failing that, its controller. */
  isPublicRoute(handler: object, controller: object): boolean {
    const own = Reflect.getMetadata(GRADIO_PUBLIC_ROUTE_METADATA, handler) as boolean | undefined;
    return (own ?? (Reflect.getMetadata(GRADIO_PUBLIC_ROUTE_METADATA, controller) as boolean | undefined)) === true;
  }
}

function isFunction(value: unknown): value is object {
  return typeof value === 'function';
}
