import { Injectable } from '@nestjs/common';
import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Endpoint, McpPromptView, McpResourceView, McpToolView } from '../discovery/endpoint.interface.js';
import { EndpointRegistry } from '../discovery/endpoint.registry.js';
import { compileSchemaCheck, type ValueCheck } from '../schema/schema.validator.js';
import { inputSchemaOf, structuredOutputOf, type McpObjectSchema, type StructuredOutput } from './tool-schema.js';
import { compileUriTemplate, type UriTemplateMatcher } from './uri-template.js';

/** The `?tools=a,b` selection of an MCP URL: only these names are served; undefined serves everything. */
export type McpSelection = ReadonlySet<string> | undefined;

export interface CatalogTool {
  readonly endpoint: Endpoint;
  readonly view: McpToolView;
  readonly definition: Tool;
  readonly inputSchema: McpObjectSchema;
  /** How the outputs become `structuredContent`, when advertised. */
  readonly structured: StructuredOutput | undefined;
  /** Checks `structuredContent` against the advertised `outputSchema` (the client checks it too). */
  readonly checkStructured: ValueCheck | undefined;
}

export interface CatalogResource {
  readonly endpoint: Endpoint;
  readonly view: McpResourceView;
  readonly matcher: UriTemplateMatcher;
}

export interface ResourceMatch {
  readonly resource: CatalogResource;
  /** The template's variables, from the URI. */
  readonly variables: Record<string, string>;
}

export interface CatalogPrompt {
  readonly endpoint: Endpoint;
  readonly view: McpPromptView;
  readonly definition: Prompt;
}

export type CatalogEntry = CatalogTool | CatalogResource | CatalogPrompt;

interface Catalog {
  /** Every entry in registration order. */
  entries: CatalogEntry[];
  tools: CatalogTool[];
  resources: CatalogResource[];
  prompts: CatalogPrompt[];
}

/**
 * What the MCP server offers, built once from the endpoint registry (after discovery): tool definitions with their
 * input and output schemas, resources with their URI matchers, prompts with their arguments — in registration
 * order, like Gradio's tool list.
 */
@Injectable()
export class McpCatalog {
  private built: Catalog | undefined;

  constructor(private readonly registry: EndpointRegistry) {}

  tools(selection: McpSelection): CatalogTool[] {
    return this.catalog().tools.filter((tool) => selected(selection, tool.view.name));
  }

  tool(name: string, selection: McpSelection): CatalogTool | undefined {
    return this.tools(selection).find((tool) => tool.view.name === name);
  }

  resources(selection: McpSelection): CatalogResource[] {
    return this.catalog().resources.filter((resource) => selected(selection, resource.view.name));
  }

  /** The resource whose URI (or template) matches, with the template's variables. */
  resourceFor(uri: string, selection: McpSelection): ResourceMatch | undefined {
    for (const resource of this.resources(selection)) {
      const variables = resource.matcher.match(uri);
      if (variables) return { resource, variables };
    }
    return undefined;
  }

  /** The resource declared with exactly this URI (or URI template). */
  resourceDeclaredAs(uriTemplate: string, selection: McpSelection): CatalogResource | undefined {
    return this.resources(selection).find((resource) => resource.view.uriTemplate === uriTemplate);
  }

  /** Tools, resources and prompts in registration order. */
  entries(selection: McpSelection): CatalogEntry[] {
    return this.catalog().entries.filter((entry) => selected(selection, entry.view.name));
  }

  prompts(selection: McpSelection): CatalogPrompt[] {
    return this.catalog().prompts.filter((prompt) => selected(selection, prompt.view.name));
  }

  prompt(name: string, selection: McpSelection): CatalogPrompt | undefined {
    return this.prompts(selection).find((prompt) => prompt.view.name === name);
  }

  /** `resources/list` entries: the fixed resources among `resources`. */
  resourceDefinitions(resources: CatalogResource[]): Resource[] {
    return resources
      .filter(({ view }) => view.variables.length === 0)
      .map(({ view }) => ({ uri: view.uriTemplate, ...common(view), mimeType: view.mimeType }));
  }

  /** `resources/templates/list` entries: the resources with `{variables}` among `resources`. */
  templateDefinitions(resources: CatalogResource[]): ResourceTemplate[] {
    return resources
      .filter(({ view }) => view.variables.length > 0)
      .map(({ view }) => ({ uriTemplate: view.uriTemplate, ...common(view), mimeType: view.mimeType }));
  }

  private catalog(): Catalog {
    return (this.built ??= this.build());
  }

  private build(): Catalog {
    const catalog: Catalog = { entries: [], tools: [], resources: [], prompts: [] };
    for (const endpoint of this.registry.queueable()) {
      const view = endpoint.mcp;
      if (view?.kind === 'tool') catalog.tools.push(catalogTool(endpoint, view));
      else if (view?.kind === 'resource') {
        catalog.resources.push({ endpoint, view, matcher: compileUriTemplate(view.uriTemplate, view.variables) });
      } else if (view?.kind === 'prompt')
        catalog.prompts.push({ endpoint, view, definition: promptDefinition(endpoint, view) });
    }
    catalog.entries = [...catalog.tools, ...catalog.resources, ...catalog.prompts].sort(
      (a, b) => a.endpoint.id - b.endpoint.id,
    );
    return catalog;
  }
}

function catalogTool(endpoint: Endpoint, view: McpToolView): CatalogTool {
  const inputSchema = inputSchemaOf(endpoint.parameters);
  const structured = view.structuredOutput ? structuredOutputOf(endpoint.outputs) : undefined;
  const definition: Tool = {
    name: view.name,
    ...(view.title !== undefined ? { title: view.title } : {}),
    description: view.description,
    inputSchema,
    ...(structured ? { outputSchema: structured.schema } : {}),
    ...(view.annotations ? { annotations: view.annotations } : {}),
    ...(view.meta ? { _meta: view.meta } : {}),
  };
  return {
    endpoint,
    view,
    definition,
    inputSchema,
    structured,
    checkStructured: structured ? compileSchemaCheck(structured.schema) : undefined,
  };
}

function promptDefinition(endpoint: Endpoint, view: McpPromptView): Prompt {
  return {
    name: view.name,
    ...(view.title !== undefined ? { title: view.title } : {}),
    description: view.description,
    arguments: endpoint.parameters.map((parameter) => ({
      name: parameter.name,
      description: parameter.description ?? '',
      required: !parameter.hasDefault,
    })),
  };
}

function common(view: McpResourceView): { name: string; title?: string; description: string } {
  return { name: view.name, ...(view.title !== undefined ? { title: view.title } : {}), description: view.description };
}

function selected(selection: McpSelection, name: string): boolean {
  return selection === undefined || selection.has(name);
}
