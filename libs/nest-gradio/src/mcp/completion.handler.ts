import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CompleteRequest, CompleteResult } from '@modelcontextprotocol/sdk/types.js';
import type { Endpoint, McpCompletionSource } from '../discovery/endpoint.interface.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import { ErrorCode } from '../kernel/optional-package.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { refusalOf } from './mcp-authorization.js';
import { McpCatalog } from './mcp-catalog.service.js';
import type { McpConnection } from './mcp-connection.js';
import { rpcError } from './mcp-results.js';

/** MCP allows at most this many values in one answer. */
const MAX_VALUES = 100;

const logger = new Logger('GradioMcp');

/** What is being completed: one argument of a prompt or one variable of a resource template. */
interface CompletionTarget {
  endpoint: Endpoint;
  /** `prompt "review"`, `resource template "docs://{topic}"`: for messages. */
  label: string;
  /** The arguments or variables it has, in order. */
  names: readonly string[];
  completions: ReadonlyMap<string, McpCompletionSource>;
}

/**
 * `completion/complete` (docs/mcp.md#completions): suggests values for a prompt argument (`ref/prompt`) or a URI
 * template variable (`ref/resource`, the template as declared) from the `complete` option or the parameter's literal
 * type. A fixed list is filtered by the typed prefix, ignoring case; a function's answer is taken as is. At most 100
 * values are sent, with `total` and `hasMore` saying how many there were. An unknown prompt, template or argument
 * is an invalid-params error; a known argument without completions gets none. The caller's guards must allow the
 * method, as for calling it.
 */
@Injectable()
export class CompletionHandler {
  constructor(
    private readonly catalog: McpCatalog,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  async complete(params: CompleteRequest['params'], connection: McpConnection): Promise<CompleteResult> {
    const target = this.targetOf(params.ref, connection);
    const refusal = await refusalOf(target.endpoint, connection.request());
    if (refusal !== undefined) throw rpcError(ErrorCode.InvalidRequest, refusal);
    const { name, value } = params.argument;
    if (!target.names.includes(name)) {
      const known = target.names.length > 0 ? `; it has ${target.names.map((known) => `"${known}"`).join(', ')}` : '';
      throw rpcError(ErrorCode.InvalidParams, `The ${target.label} has no argument "${name}"${known}.`);
    }
    const source = target.completions.get(name);
    if (!source) return answer([]);
    if (source.kind === 'values') {
      const prefix = value.toLowerCase();
      return answer(source.values.filter((candidate) => candidate.toLowerCase().startsWith(prefix)));
    }
    return answer(await this.computed(source, target, name, value, params.context?.arguments ?? {}));
  }

  private targetOf(ref: CompleteRequest['params']['ref'], connection: McpConnection): CompletionTarget {
    if (ref.type === 'ref/prompt') {
      const prompt = this.catalog.prompt(ref.name, connection.selection);
      if (!prompt) throw rpcError(ErrorCode.InvalidParams, `Unknown prompt: "${ref.name}".`);
      const { endpoint, view } = prompt;
      return {
        endpoint,
        label: `prompt "${view.name}"`,
        names: endpoint.parameters.map((parameter) => parameter.name),
        completions: view.completions,
      };
    }
    const resource = this.catalog.resourceDeclaredAs(ref.uri, connection.selection);
    if (!resource) throw rpcError(ErrorCode.InvalidParams, `Unknown resource template: ${ref.uri}`);
    const { endpoint, view } = resource;
    return {
      endpoint,
      label: `resource template ${view.uriTemplate}`,
      names: view.variables,
      completions: view.completions,
    };
  }

  /** A completion function's values; its failure is the server's error, its message hidden unless `showError`. */
  private async computed(
    source: Extract<McpCompletionSource, { kind: 'function' }>,
    target: CompletionTarget,
    name: string,
    value: string,
    args: Record<string, string>,
  ): Promise<string[]> {
    const where = `the completion of "${name}" for the ${target.label}`;
    let values: unknown;
    try {
      values = await source.complete(value, { arguments: args });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.error(`MCP: ${where} failed: ${message}`, error instanceof Error ? error.stack : undefined);
      throw rpcError(ErrorCode.InternalError, this.options.showError ? message : `${capitalized(where)} failed.`);
    }
    if (!Array.isArray(values) || !values.every((candidate) => typeof candidate === 'string')) {
      const problem = `${capitalized(where)} must return a list of strings.`;
      logger.error(`MCP: ${problem}`);
      throw rpcError(ErrorCode.InternalError, problem);
    }
    return values;
  }
}

function answer(values: readonly string[]): CompleteResult {
  return {
    completion: { values: values.slice(0, MAX_VALUES), total: values.length, hasMore: values.length > MAX_VALUES },
  };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
