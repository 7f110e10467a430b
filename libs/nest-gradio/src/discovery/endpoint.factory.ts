import 'reflect-metadata';
import { invalidEndpointMessage } from '../kernel/gradio.messages.js';
import type { ParamDeclaration } from '../decorators/arg.decorator.js';
import type { ApiVisibility, ArgOptions, GradioApiOptions } from '../options/gradio-api-options.interface.js';
import type { EventContext } from '../options/event-context.interface.js';
import { compileSchemaCheck } from '../schema/schema.validator.js';
import type { JsonSchema } from '../schema/json-schema.interface.js';
import { dtoClassOf, resolveTypeSpec } from '../schema/type-spec.resolver.js';
import type { TypeSpec } from '../schema/type-spec.js';
import { defaultApiName, uniqueApiName } from './endpoint-naming.js';
import type {
  Endpoint,
  EndpointOutput,
  EndpointParameter,
  EndpointSource,
  StreamPuller,
} from './endpoint.interface.js';
import type { HandlerPipeline } from './handler-pipeline.js';
import type { GuardPurpose } from './listing-check.js';
import { nativeRequestOf } from '../kernel/native-request.js';
import { parseMethodSignature, type SourceParameter } from './method-signature.parser.js';
import type { McpDeclaration } from '../decorators/mcp-declaration.js';
import type { GradioMetadataAccessor } from './gradio-metadata.accessor.js';
import {
  isKnownPluginType,
  pluginTypeSpec,
  type PluginMethodMetadata,
  type PluginParameterMetadata,
} from './plugin-metadata.reader.js';
import { createMcpView, mcpDeclarationProblem, queueOptionsOf, type McpNamesTaken } from './mcp-view.factory.js';
import { isPositiveFinite, isPositiveInteger } from '../kernel/positive-number.js';
import { literalJsonType } from '../kernel/literal-type.js';

const VISIBILITIES: readonly ApiVisibility[] = ['public', 'undocumented', 'private'];
/** Keyword arguments the Python client keeps for itself; Gradio publishes such parameters as `param_<position>`. */
const RESERVED_NAMES = new Set(['api_name', 'fn_index', 'result_callbacks']);
/** Characters that cannot appear in an API name because it is a URL path segment (`/gradio_api/call/{name}`). */
const UNSAFE_NAME = /[\s/?#%\\]/;
/** Return types TypeScript records for methods whose value type it cannot express at run time. */
const OPAQUE_RETURN_TYPES = new Set<unknown>([undefined, Object, Promise, Function]);

/** Bootstrap-time facts the factory needs besides the method itself. */
export interface EndpointFactoryContext {
  id: number;
  takenNames: ReadonlySet<string>;
  defaultConcurrencyLimit: number | null;
  /** Reads what the parameter decorators and TypeScript recorded on the method. */
  metadata: GradioMetadataAccessor;
  /** The method's MCP decorator, if any, with the MCP names already given out. */
  mcp?: { declaration: McpDeclaration; taken: McpNamesTaken; warn(message: string): void };
  /**
   * Nest's enhancer pipeline for the method, given its arity. Without it (unit tests of the model), the method is
   * called directly and nothing guards it.
   */
  pipelineFor?: (arity: number, streams: boolean) => HandlerPipeline;
}

/**
 * Builds the {@link Endpoint} model of one decorated method: its name, parameters (from `@Arg`, the source text and
 * `design:paramtypes`), outputs, queue settings, MCP view and invoker. Every configuration mistake fails here, at
 * bootstrap, with a message that names the class and the method. Without `apiOptions` (no `@GradioApi()`), the
 * method must have an MCP decorator and becomes an MCP-only endpoint.
 */
export function createEndpoint(
  instance: object,
  methodName: string,
  apiOptions: GradioApiOptions | undefined,
  context: EndpointFactoryContext,
): Endpoint {
  const prototype = Object.getPrototypeOf(instance) as object;
  const method = (prototype as Record<string, unknown>)[methodName] as Function;
  const source: EndpointSource = { className: instance.constructor.name, methodName };
  const mcp = context.mcp;
  const failMcp = (problem: string): never => {
    throw new Error(mcpDeclarationProblem(mcp?.declaration as McpDeclaration, source, problem));
  };
  const fail =
    apiOptions || !mcp
      ? (problem: string): never => {
          throw new Error(invalidEndpointMessage(source, problem));
        }
      : failMcp;
  const options = mcp ? queueOptionsOf(mcp.declaration, apiOptions, failMcp) : (apiOptions ?? {});
  const recorded = context.metadata.pluginMetadata(prototype, methodName);

  const apiName = resolveApiName(options.name, methodName, context.takenNames, fail);
  const batch = options.batch ?? false;
  if (batch && isGeneratorFunction(method)) fail('a batch endpoint cannot be a generator (Gradio rejects it too).');
  const { parameters, contextIndexes, arity } = buildParameters(
    context.metadata,
    prototype,
    methodName,
    method,
    batch,
    fail,
    recorded,
  );
  const outputs = buildOutputs(context.metadata, prototype, methodName, options, fail, recorded).map((output) =>
    batch ? { schema: sampleSchema(output.schema) } : output,
  );
  const generator = isGeneratorFunction(method) || (options.stream ?? recorded?.stream) === true;

  const pipeline = context.pipelineFor?.(arity, generator);
  const invoke = (args: readonly unknown[], eventContext: EventContext, pull?: StreamPuller): unknown => {
    const full = new Array<unknown>(arity);
    for (const parameter of parameters) full[parameter.argIndex] = args[parameter.position];
    for (const index of contextIndexes) full[index] = eventContext;
    if (!pipeline) return method.apply(instance, full);
    return pipeline.run(nativeRequestOf(eventContext.request), full, pull);
  };
  const authorize = (request: unknown, response: unknown, purpose?: GuardPurpose): Promise<void> | undefined =>
    pipeline?.authorize(request, response, purpose);

  const publicParameters = parameters.map(({ argIndex: _argIndex, ...parameter }) => parameter);
  const description = options.description ?? recorded?.description ?? '';
  const mcpView =
    mcp &&
    createMcpView(
      mcp.declaration,
      { parameters: publicParameters, description, source, instance },
      mcp.taken,
      failMcp,
      mcp.warn,
    );

  return {
    id: context.id,
    apiName,
    apiDescription: options.description ?? recorded?.description ?? null,
    description,
    parameters: publicParameters,
    outputs,
    concurrencyId: options.concurrencyId ?? `endpoint:${apiName}`,
    concurrencyLimit: resolveConcurrencyLimit(options.concurrencyLimit, context.defaultConcurrencyLimit, fail),
    queue: options.queue ?? true,
    batch,
    maxBatchSize: positiveInteger(options.maxBatchSize ?? 4, 'maxBatchSize', fail),
    apiVisibility: resolveVisibility(options.apiVisibility, fail),
    timeLimit: positiveNumberOrNull(options.timeLimit ?? null, 'timeLimit', fail),
    streamEvery: positiveNumberOrNull(options.streamEvery ?? 0.5, 'streamEvery', fail) ?? 0.5,
    generator,
    deprecated: recorded?.deprecated,
    source,
    api: apiOptions !== undefined,
    mcp: mcpView,
    invoke,
    invokeSeesRequest: pipeline?.runSeesRequest ?? false,
    authorize,
  };
}

function resolveApiName(
  requested: string | undefined,
  methodName: string,
  taken: ReadonlySet<string>,
  fail: (problem: string) => never,
): string {
  if (requested !== undefined && (typeof requested !== 'string' || requested.length === 0)) {
    fail('name must be a non-empty string.');
  }
  const name = requested ?? defaultApiName(methodName);
  if (name.length === 0) fail(`the method name "${methodName}" has no usable characters; give a name.`);
  if (UNSAFE_NAME.test(name)) fail(`the name "${name}" must not contain whitespace, '/', '?', '#', '%' or '\\'.`);
  return uniqueApiName(name, taken);
}

type BuiltParameter = EndpointParameter & { argIndex: number };

function buildParameters(
  metadata: GradioMetadataAccessor,
  prototype: object,
  methodName: string,
  method: Function,
  batch: boolean,
  fail: (problem: string) => never,
  recorded: PluginMethodMetadata | undefined,
): { parameters: BuiltParameter[]; contextIndexes: number[]; arity: number } {
  const typed = recorded?.parameters ?? [];
  const declarations: ParamDeclaration[] = metadata.paramDeclarations(prototype, methodName);
  const designTypes = metadata.paramTypes(prototype, methodName);
  const sourceParameters = parseMethodSignature(method);
  const arity = Math.max(
    designTypes.length,
    sourceParameters.length,
    typed.length,
    ...declarations.map((d) => d.index + 1),
  );

  const parameters: BuiltParameter[] = [];
  const contextIndexes: number[] = [];
  const names = new Set<string>();
  for (let argIndex = 0; argIndex < arity; argIndex++) {
    const declaration = declarations.find((candidate) => candidate.index === argIndex);
    if (declaration?.kind === 'context') {
      contextIndexes.push(argIndex);
      continue;
    }
    const written = sourceParameters[argIndex];
    const options = declaration?.options ?? {};
    const name = declaration?.name ?? typed[argIndex]?.name ?? written?.name;
    if (written?.rest) fail(`rest parameters (...${written.name ?? 'args'}) cannot be API parameters.`);
    if (!name)
      fail(`parameter ${argIndex + 1} has no name that can be read from the source; name it with @Arg('name').`);
    if (names.has(name)) fail(`two parameters are named "${name}".`);
    names.add(name);
    const position = parameters.length;
    const publicName = RESERVED_NAMES.has(name) ? `param_${position}` : name;
    parameters.push(
      buildParameter(position, argIndex, publicName, options, designTypes[argIndex], written, batch, typed[argIndex]),
    );
  }
  return { parameters, contextIndexes, arity };
}

function buildParameter(
  position: number,
  argIndex: number,
  name: string,
  options: ArgOptions,
  designType: unknown,
  written: SourceParameter | undefined,
  batch: boolean,
  typed: PluginParameterMetadata | undefined,
): BuiltParameter {
  const spec = (options.type ?? (isKnownPluginType(typed?.type) ? pluginTypeSpec(typed.type) : designType)) as
    TypeSpec | undefined;
  const declared: JsonSchema =
    spec === undefined || spec === Object ? schemaOfLiteral(written?.literalDefault) : resolveTypeSpec(spec);
  const schema = batch ? sampleSchema(declared) : declared;
  const hasDefault =
    options.default !== undefined ||
    options.optional === true ||
    written?.hasDefault === true ||
    typed?.optional === true;
  const recordedDefault = typed && 'default' in typed ? typed.default : written?.literalDefault;
  const defaultValue = options.default !== undefined ? options.default : (recordedDefault ?? null);
  return {
    position,
    argIndex,
    name,
    schema,
    description: options.description ?? typed?.description,
    hasDefault,
    defaultValue,
    check: compileSchemaCheck(schema),
    dto: dtoClassOf(spec),
  };
}

/**
 * A batch handler declares lists (`texts: string[]`), but each client call sends one sample of each: the API
 * describes and validates the sample. (Gradio publishes the list type, which misdescribes what clients send.)
 */
function sampleSchema(schema: JsonSchema): JsonSchema {
  return schema.type === 'array' && typeof schema.items === 'object' ? schema.items : schema;
}

/**
 * TypeScript records `Object` for a parameter written `seconds = 1` (lint rules even forbid annotating it), so a
 * literal default is the best evidence of its type.
 */
function schemaOfLiteral(value: unknown): JsonSchema {
  const type = literalJsonType(value);
  return type ? { type } : {};
}

function buildOutputs(
  metadata: GradioMetadataAccessor,
  prototype: object,
  methodName: string,
  options: GradioApiOptions,
  fail: (problem: string) => never,
  recorded?: PluginMethodMetadata,
): EndpointOutput[] {
  if (options.outputs !== undefined && options.returns !== undefined) fail('give either returns or outputs, not both.');
  if (options.outputs !== undefined) {
    if (!Array.isArray(options.outputs)) fail('outputs must be an array with one type per output.');
    return options.outputs.map((spec) => ({ schema: resolveTypeSpec(spec) }));
  }
  if (options.returns !== undefined) return [{ schema: resolveTypeSpec(options.returns) }];
  const typed = recorded?.outputs;
  if (typed && !(typed.length === 1 && !isKnownPluginType(typed[0])))
    return typed.map((schema) => ({ schema: resolveTypeSpec(pluginTypeSpec(schema)) }));
  const designType = metadata.returnType(prototype, methodName);
  // Unlike Python, TypeScript cannot tell "returns nothing" from "not annotated": both give one output of any type.
  return [{ schema: OPAQUE_RETURN_TYPES.has(designType) ? {} : resolveTypeSpec(designType as TypeSpec) }];
}

function resolveConcurrencyLimit(
  limit: number | null | 'default' | undefined,
  defaultLimit: number | null,
  fail: (problem: string) => never,
): number | null {
  if (limit === undefined || limit === 'default') return defaultLimit;
  if (limit === null) return null;
  return positiveInteger(limit, 'concurrencyLimit', fail);
}

function resolveVisibility(visibility: ApiVisibility | undefined, fail: (problem: string) => never): ApiVisibility {
  if (visibility === undefined) return 'public';
  if (!VISIBILITIES.includes(visibility))
    fail(`apiVisibility must be one of ${VISIBILITIES.join(', ')}; got "${String(visibility)}".`);
  return visibility;
}

function positiveInteger(value: number, option: string, fail: (problem: string) => never): number {
  if (!isPositiveInteger(value)) fail(`${option} must be a positive integer; got ${String(value)}.`);
  return value;
}

function positiveNumberOrNull(value: number | null, option: string, fail: (problem: string) => never): number | null {
  if (value === null) return null;
  if (!isPositiveFinite(value)) {
    fail(`${option} must be a positive number of seconds; got ${String(value)}.`);
  }
  return value;
}

function isGeneratorFunction(method: Function): boolean {
  const kind = method.constructor.name;
  return kind === 'GeneratorFunction' || kind === 'AsyncGeneratorFunction';
}
