import type { GradioApiOptions } from '../options/gradio-api-options.interface.js';
import type { McpQueueOptions } from '../options/mcp-decorator-options.interface.js';
import { MCP_DECORATOR_NAMES, type McpDeclaration } from '../decorators/mcp-declaration.js';
import type { EndpointMcpView, EndpointParameter, EndpointSource, McpCompletionSource } from './endpoint.interface.js';
import { literalValuesOf } from '../schema/literal-values.js';
import { uniqueApiName } from './endpoint-naming.js';

/** Names and URIs already given out, so that every new MCP entry gets a unique one. */
export interface McpNamesTaken {
  readonly tools: ReadonlySet<string>;
  readonly prompts: ReadonlySet<string>;
  readonly uriTemplates: ReadonlySet<string>;
}

/** MCP's rule for tool and prompt names (2025-11-25): letters, digits, `_`, `-` and `.`, at most 128 characters. */
const INVALID_NAME_CHARACTERS = /[^A-Za-z0-9_.-]/g;
/** Leaves room for a `_N` suffix within MCP's 128 characters, as Gradio does. */
const MAX_NAME_LENGTH = 120;
const QUEUE_OPTION_KEYS: readonly (keyof McpQueueOptions)[] = [
  'concurrencyLimit',
  'concurrencyId',
  'timeLimit',
  'returns',
  'outputs',
];
const ANNOTATION_HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;
const TEMPLATE_VARIABLE = /\{([^{}]*)\}/g;
const MIME_TYPE = /^[\w.+-]+\/[\w.+-]+(?:\s*;.*)?$/;

/** Turns any text into a valid MCP tool or prompt name (possibly empty). */
export function validMcpName(name: string): string {
  return name.replace(INVALID_NAME_CHARACTERS, '_').slice(0, MAX_NAME_LENGTH);
}

/** The `{variables}` of a URI template, in order. */
export function templateVariables(uriTemplate: string): string[] {
  return [...uriTemplate.matchAll(TEMPLATE_VARIABLE)].map((match) => match[1] as string);
}

export function mcpDeclarationProblem(declaration: McpDeclaration, source: EndpointSource, problem: string): string {
  return `Invalid ${MCP_DECORATOR_NAMES[declaration.kind]} on ${source.className}.${source.methodName}: ${problem}`;
}

/**
 * The `@GradioApi()`-style options an MCP-only method runs with (queue settings only), or — when the method also
 * has `@GradioApi()` — a check that the MCP decorator does not repeat them.
 */
export function queueOptionsOf(
  declaration: McpDeclaration,
  apiOptions: GradioApiOptions | undefined,
  fail: (problem: string) => never,
): GradioApiOptions {
  const given = QUEUE_OPTION_KEYS.filter((key) => declaration.options[key] !== undefined);
  if (apiOptions) {
    if (given.length > 0)
      fail(`set ${given.join(', ')} on @GradioApi(), whose queue the MCP ${declaration.kind} shares.`);
    return apiOptions;
  }
  const { concurrencyLimit, concurrencyId, timeLimit, returns, outputs } = declaration.options;
  return { concurrencyLimit, concurrencyId, timeLimit, returns, outputs, description: declaration.options.description };
}

/**
 * Builds the MCP view of one method from its decorator and its endpoint's parameters. Bad options fail here, at
 * bootstrap; names are made valid and unique (`warn` is told when a given name had to change). Completion functions
 * are bound to `instance`, the provider.
 */
export function createMcpView(
  declaration: McpDeclaration,
  endpoint: {
    parameters: readonly EndpointParameter[];
    description: string;
    source: EndpointSource;
    instance?: object;
  },
  taken: McpNamesTaken,
  fail: (problem: string) => never,
  warn: (message: string) => void,
): EndpointMcpView {
  const { options } = declaration;
  optionalString(options.name, 'name', fail);
  optionalString(options.title, 'title', fail);
  optionalString(options.description, 'description', fail);
  if (options.name === '') fail('name must not be empty.');
  const description = options.description ?? endpoint.description;
  const requested = options.name ?? endpoint.source.methodName;

  switch (declaration.kind) {
    case 'tool': {
      const { annotations, meta, structuredOutput } = declaration.options;
      if (annotations !== undefined) checkAnnotations(annotations, fail);
      if (meta !== undefined && !isPlainObject(meta)) fail('meta must be an object.');
      if (structuredOutput !== undefined && typeof structuredOutput !== 'boolean') {
        fail('structuredOutput must be true or false.');
      }
      return {
        kind: 'tool',
        name: uniqueMcpName(
          requested,
          options.name !== undefined,
          taken.tools,
          declaration,
          endpoint.source,
          fail,
          warn,
        ),
        title: options.title,
        description,
        annotations: annotations === undefined ? undefined : { ...annotations },
        meta: meta === undefined ? undefined : { ...meta },
        structuredOutput: structuredOutput ?? true,
      };
    }
    case 'prompt':
      return {
        kind: 'prompt',
        name: uniqueMcpName(
          requested,
          options.name !== undefined,
          taken.prompts,
          declaration,
          endpoint.source,
          fail,
          warn,
        ),
        title: options.title,
        description,
        completions: completionsOf(
          declaration.options.complete,
          endpoint.parameters.map((parameter) => parameter.name),
          'an argument of the prompt',
          endpoint,
          fail,
        ),
      };
    case 'resource': {
      const { uriTemplate } = declaration;
      const mimeType = declaration.options.mimeType ?? 'text/plain';
      if (typeof uriTemplate !== 'string' || uriTemplate.trim() === '')
        fail('the URI template must be a non-empty string.');
      if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(uriTemplate)) {
        fail(`the URI "${uriTemplate}" needs a scheme, e.g. "docs://${uriTemplate}".`);
      }
      if (taken.uriTemplates.has(uriTemplate)) fail(`another resource already uses the URI "${uriTemplate}".`);
      if (typeof mimeType !== 'string' || !MIME_TYPE.test(mimeType)) {
        fail(`mimeType must look like "text/plain"; got "${String(mimeType)}".`);
      }
      const variables = templateVariables(uriTemplate);
      checkTemplateVariables(variables, endpoint.parameters, fail);
      const completions = completionsOf(
        declaration.options.complete,
        variables,
        'a variable of the URI template',
        endpoint,
        fail,
      );
      return {
        kind: 'resource',
        name: requested,
        title: options.title,
        uriTemplate,
        variables,
        description,
        mimeType,
        completions,
      };
    }
  }
}

function uniqueMcpName(
  requested: string,
  explicit: boolean,
  taken: ReadonlySet<string>,
  declaration: McpDeclaration,
  source: EndpointSource,
  fail: (problem: string) => never,
  warn: (message: string) => void,
): string {
  const valid = validMcpName(requested);
  if (valid.replaceAll('_', '') === '') fail(`"${requested}" has no letters or digits to make a name of; give a name.`);
  const unique = uniqueApiName(valid, taken);
  if (explicit && unique !== requested) {
    const where = `${MCP_DECORATOR_NAMES[declaration.kind]} on ${source.className}.${source.methodName}`;
    warn(
      `${where}: the name "${requested}" is served as "${unique}" (MCP names are unique and use letters, digits, '_', '-' and '.').`,
    );
  }
  return unique;
}

/** Every variable must be a parameter (it fills it), and every required parameter must be a variable. */
function checkTemplateVariables(
  variables: readonly string[],
  parameters: readonly EndpointParameter[],
  fail: (problem: string) => never,
): void {
  const names = new Set(parameters.map((parameter) => parameter.name));
  const seen = new Set<string>();
  for (const variable of variables) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable))
      fail(`"{${variable}}" is not a valid template variable; use {name}.`);
    if (seen.has(variable)) fail(`the variable {${variable}} appears twice.`);
    seen.add(variable);
    if (!names.has(variable)) fail(`the variable {${variable}} is not a parameter of the method.`);
  }
  for (const parameter of parameters) {
    if (!parameter.hasDefault && !seen.has(parameter.name)) {
      fail(
        `the parameter "${parameter.name}" has no default and no {${parameter.name}} in the URI template to fill it.`,
      );
    }
  }
}

/**
 * The completion sources of `names` (the prompt's arguments, or the template's variables): those of the `complete`
 * option, and the values of literal parameter types for the names it leaves out.
 */
function completionsOf(
  complete: unknown,
  names: readonly string[],
  what: string,
  endpoint: { parameters: readonly EndpointParameter[]; instance?: object },
  fail: (problem: string) => never,
): ReadonlyMap<string, McpCompletionSource> {
  const sources = new Map<string, McpCompletionSource>();
  for (const name of names) {
    const parameter = endpoint.parameters.find((candidate) => candidate.name === name);
    const values = parameter && literalValuesOf(parameter.schema);
    if (values) sources.set(name, { kind: 'values', values });
  }
  if (complete === undefined) return sources;
  if (!isPlainObject(complete)) fail('complete must be an object whose keys are argument names.');
  for (const [name, completion] of Object.entries(complete)) {
    if (!names.includes(name)) {
      const known = names.length > 0 ? `; use ${names.map((known) => `"${known}"`).join(', ')}` : '';
      fail(`complete.${name}: "${name}" is not ${what}${known}.`);
    }
    if (typeof completion === 'function') {
      const { instance } = endpoint;
      sources.set(name, {
        kind: 'function',
        complete: (value, context) => (completion as Function).call(instance, value, context),
      });
    } else if (Array.isArray(completion) && completion.every((value) => typeof value === 'string')) {
      sources.set(name, { kind: 'values', values: [...(completion as string[])] });
    } else {
      fail(`complete.${name} must be a list of strings or a function.`);
    }
  }
  return sources;
}

function checkAnnotations(annotations: unknown, fail: (problem: string) => never): void {
  if (!isPlainObject(annotations)) fail('annotations must be an object.');
  const record = annotations as Record<string, unknown>;
  if (record['title'] !== undefined && typeof record['title'] !== 'string') fail('annotations.title must be a string.');
  for (const hint of ANNOTATION_HINTS) {
    if (record[hint] !== undefined && typeof record[hint] !== 'boolean')
      fail(`annotations.${hint} must be true or false.`);
  }
  const known = new Set<string>(['title', ...ANNOTATION_HINTS]);
  const unknown = Object.keys(record).filter((key) => !known.has(key));
  if (unknown.length > 0) fail(`unknown annotations: ${unknown.join(', ')}.`);
}

function optionalString(value: unknown, option: string, fail: (problem: string) => never): void {
  if (value !== undefined && typeof value !== 'string') fail(`${option} must be a string.`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
