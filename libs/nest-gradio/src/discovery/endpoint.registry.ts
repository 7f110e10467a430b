import { Injectable } from '@nestjs/common';
import type { Endpoint } from './endpoint.interface.js';
import type { McpNamesTaken } from './mcp-view.factory.js';

/**
 * The endpoints discovered at bootstrap, by `fn_index` and by API name. Public: an application can read it to
 * list its endpoints.
 *
 * @publicApi
 */
@Injectable()
export class EndpointRegistry {
  private readonly byId: Endpoint[] = [];
  private readonly byName = new Map<string, Endpoint>();
  /** Endpoints served only over MCP; numbered after every API endpoint and invisible to the Gradio surfaces. */
  private readonly mcpOnlyEndpoints: Endpoint[] = [];

  /**
   * Adds an endpoint with the id {@link nextId} gave it. API endpoints all come first, so that their ids are
   * Gradio's contiguous `fn_index` 0, 1, 2… Only discovery registers endpoints.
   * @internal
   */
  register(endpoint: Endpoint): void {
    if (endpoint.id !== this.nextId()) throw new Error(`Endpoint ids must be assigned in order; got ${endpoint.id}.`);
    if (!endpoint.api) {
      this.mcpOnlyEndpoints.push(endpoint);
      return;
    }
    if (this.mcpOnlyEndpoints.length > 0) throw new Error('API endpoints must be registered before MCP-only ones.');
    this.byId.push(endpoint);
    this.byName.set(endpoint.apiName, endpoint);
  }

  /** The Gradio API endpoints, in `fn_index` order (what `/config`, `/gradio_api/info` and OpenAPI list). */
  all(): readonly Endpoint[] {
    return this.byId;
  }

  /** Endpoints served only over MCP (an MCP decorator without `@GradioApi()`). */
  mcpOnly(): readonly Endpoint[] {
    return this.mcpOnlyEndpoints;
  }

  /** Every endpoint the queue may run: the API endpoints, then the MCP-only ones. */
  queueable(): readonly Endpoint[] {
    return this.mcpOnlyEndpoints.length === 0 ? this.byId : [...this.byId, ...this.mcpOnlyEndpoints];
  }

  /** @internal */
  nextId(): number {
    return this.byId.length + this.mcpOnlyEndpoints.length;
  }

  /**
   * API names in use, MCP-only endpoints' internal names included (they name queues and log lines).
   * @internal
   */
  takenNames(): ReadonlySet<string> {
    return new Set([...this.byName.keys(), ...this.mcpOnlyEndpoints.map((endpoint) => endpoint.apiName)]);
  }

  /**
   * MCP tool and prompt names and resource URIs in use.
   * @internal
   */
  takenMcpNames(): McpNamesTaken {
    const taken = { tools: new Set<string>(), prompts: new Set<string>(), uriTemplates: new Set<string>() };
    for (const { mcp } of this.queueable()) {
      if (mcp?.kind === 'tool') taken.tools.add(mcp.name);
      else if (mcp?.kind === 'prompt') taken.prompts.add(mcp.name);
      else if (mcp?.kind === 'resource') taken.uriTemplates.add(mcp.uriTemplate);
    }
    return taken;
  }

  /** A Gradio API endpoint by `fn_index` (MCP-only endpoints are not among them). */
  getById(id: number): Endpoint | undefined {
    return this.byId[id];
  }

  /**
   * Any endpoint the queue may run, MCP-only ones included, by id (distributed mode's jobs carry it).
   * @internal
   */
  getQueueable(id: number): Endpoint | undefined {
    return id < this.byId.length ? this.byId[id] : this.mcpOnlyEndpoints[id - this.byId.length];
  }

  /** Accepts `name` and `/name`. */
  getByName(apiName: string): Endpoint | undefined {
    return this.byName.get(apiName.startsWith('/') ? apiName.slice(1) : apiName);
  }
}
