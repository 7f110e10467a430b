import { Injectable } from '@nestjs/common';
import type { Endpoint, EndpointParameter } from '../discovery/endpoint.interface.js';
import { EndpointRegistry } from '../discovery/endpoint.registry.js';
import { renderPythonType } from '../schema/python-type.renderer.js';
import { codeSnippets } from './code-snippets.js';
import { ordinal } from '../kernel/ordinal.js';

/** `GET /gradio_api/info`, field for field as Gradio builds it for Server-mode endpoints (docs/protocol.md#api-info). */
@Injectable()
export class ApiInfoBuilder {
  private readonly byRoot = new Map<string, string>();
  private allEndpoints: string | undefined;

  constructor(private readonly registry: EndpointRegistry) {}

  /**
   * The info JSON. With `allEndpoints`, undocumented endpoints are included and code snippets left out (like
   * Gradio). Gradio caches the first requester's root forever; we cache per root.
   */
  render(root: string, allEndpoints: boolean): string {
    if (allEndpoints) return (this.allEndpoints ??= JSON.stringify(this.build(undefined)));
    let json = this.byRoot.get(root);
    if (json === undefined) {
      json = JSON.stringify(this.build(root));
      // Roots come from request headers; keep the cache small so that they cannot grow it without bound.
      if (this.byRoot.size >= 32) this.byRoot.clear();
      this.byRoot.set(root, json);
    }
    return json;
  }

  build(root: string | undefined): {
    named_endpoints: Record<string, unknown>;
    unnamed_endpoints: Record<string, never>;
  } {
    const named: Record<string, unknown> = {};
    for (const endpoint of this.registry.all()) {
      const visible =
        endpoint.apiVisibility === 'public' || (root === undefined && endpoint.apiVisibility === 'undocumented');
      if (visible) named[`/${endpoint.apiName}`] = endpointInfo(endpoint, root);
    }
    return { named_endpoints: named, unnamed_endpoints: {} };
  }
}

function endpointInfo(endpoint: Endpoint, root: string | undefined): Record<string, unknown> {
  const info: Record<string, unknown> = {
    parameters: endpoint.parameters.map(parameterInfo),
    returns: endpoint.outputs.map((output, position) => ({
      label: ordinal(position),
      type: output.schema,
      python_type: { type: renderPythonType(output.schema), description: output.schema.description ?? '' },
      component: 'Api',
    })),
    api_visibility: endpoint.apiVisibility,
    description: endpoint.description,
  };
  if (root !== undefined) info['code_snippets'] = codeSnippets(endpoint, root);
  return info;
}

export function parameterInfo(parameter: EndpointParameter): Record<string, unknown> {
  return {
    label: ordinal(parameter.position),
    parameter_name: parameter.name,
    parameter_has_default: parameter.hasDefault,
    parameter_default: parameter.hasDefault ? parameter.defaultValue : null,
    type: parameter.schema,
    // Gradio leaves this empty for API parameters; we carry the `@Arg` description, which the Python client's
    // view_api() prints next to the type and the View API page shows in its parameter table.
    python_type: { type: renderPythonType(parameter.schema), description: parameter.description ?? '' },
    component: 'Api',
    example_input: parameter.hasDefault && parameter.defaultValue !== null ? parameter.defaultValue : '...',
  };
}
