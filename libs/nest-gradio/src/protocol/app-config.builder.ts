import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ordinal } from '../kernel/ordinal.js';
import type { Endpoint } from '../discovery/endpoint.interface.js';
import { EndpointRegistry } from '../discovery/endpoint.registry.js';
import { API_PREFIX, GRADIO_COMPATIBLE_VERSION, GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import type { JsonSchema } from '../schema/json-schema.interface.js';

/** Every API parameter and output is a hidden pseudo-component of class `Api`; one id for the class. */
const API_COMPONENT_CLASS_ID = createHash('sha256').update('nest-gradio:Api').digest('hex');

/**
 * Builds `GET /config` (docs/protocol.md#config). Everything but `username` and `root` is the same for every request, so it is
 * serialised once and those two are appended per request, after everything else, where Gradio puts them.
 */
@Injectable()
export class AppConfigBuilder {
  private serialisedHead: string | undefined;

  constructor(
    private readonly registry: EndpointRegistry,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  /** The config JSON for one request. */
  render(root: string, username: string | null): string {
    this.serialisedHead ??= JSON.stringify(this.staticConfig()).slice(0, -1);
    return `${this.serialisedHead},"username":${JSON.stringify(username)},"root":${JSON.stringify(root)}}`;
  }

  private staticConfig(): Record<string, unknown> {
    const components: Record<string, unknown>[] = [];
    const dependencies: Record<string, unknown>[] = [];
    let nextComponentId = 1; // 0 is the hidden root block
    for (const endpoint of this.registry.all()) {
      const inputs = endpoint.parameters.map((parameter) => {
        const hasValue = parameter.hasDefault && parameter.defaultValue !== null;
        components.push(
          apiComponent(
            nextComponentId,
            parameter.schema,
            parameter.position,
            hasValue ? { value: parameter.defaultValue } : undefined,
          ),
        );
        return nextComponentId++;
      });
      const outputs = endpoint.outputs.map((output, position) => {
        components.push(apiComponent(nextComponentId, output.schema, position, undefined));
        return nextComponentId++;
      });
      dependencies.push(dependency(endpoint, inputs, outputs));
    }
    const layout = { id: 0, children: components.map((component) => ({ id: component['id'] })) };
    return {
      version: GRADIO_COMPATIBLE_VERSION,
      api_prefix: API_PREFIX,
      mode: 'server',
      app_id: this.options.appId,
      dev_mode: false,
      vibe_mode: false,
      analytics_enabled: false,
      components,
      css: null,
      connect_heartbeat: false,
      js: null,
      head: null,
      title: this.options.title,
      space_id: null,
      enable_queue: true,
      show_error: this.options.showError,
      footer_links: ['api'],
      run_history: false,
      is_colab: false,
      max_file_size: this.options.files.maxFileSize,
      stylesheets: [],
      theme: 'default',
      protocol: 'sse_v3',
      // The colours of Gradio's default theme (6.31), which the View API page uses too.
      body_css: {
        body_background_fill: 'white',
        body_text_color: '#27272a',
        body_background_fill_dark: '#0f0f11',
        body_text_color_dark: '#f4f4f5',
      },
      fill_height: false,
      fill_width: false,
      theme_hash: API_COMPONENT_CLASS_ID,
      pwa: false,
      pages: [['', 'Home', true]],
      page: {
        '': { layout, components: components.map((c) => c['id']), dependencies: dependencies.map((d) => d['id']) },
      },
      mcp_server: this.options.mcpServer,
      i18n_translations: null,
      dependencies,
      layout,
    };
  }
}

function apiComponent(
  id: number,
  schema: JsonSchema,
  position: number,
  value: { value: unknown } | undefined,
): Record<string, unknown> {
  return {
    id,
    type: 'api',
    props: { ...value, _api_info: schema, label: ordinal(position), name: 'api', _selectable: false },
    skip_api: false,
    component_class_id: API_COMPONENT_CLASS_ID,
    key: null,
    api_info: schema,
    api_info_as_input: schema,
    api_info_as_output: schema,
    example_inputs: value ? value.value : '...',
  };
}

function dependency(endpoint: Endpoint, inputs: number[], outputs: number[]): Record<string, unknown> {
  return {
    id: endpoint.id,
    targets: [],
    inputs,
    outputs,
    backend_fn: true,
    js: null,
    queue: endpoint.queue,
    api_name: endpoint.apiName,
    api_description: endpoint.apiDescription,
    scroll_to_output: false,
    show_progress: 'hidden',
    show_progress_on: null,
    batch: endpoint.batch,
    max_batch_size: endpoint.maxBatchSize,
    cancels: [],
    types: { generator: endpoint.generator, cancel: false },
    collects_event_data: false,
    trigger_after: null,
    trigger_only_on_success: false,
    trigger_only_on_failure: false,
    trigger_mode: 'once',
    api_visibility: endpoint.apiVisibility,
    rendered_in: null,
    render_id: null,
    connection: 'sse',
    time_limit: endpoint.timeLimit,
    stream_every: endpoint.streamEvery,
    event_specific_args: null,
    component_prop_inputs: [],
    js_implementation: null,
  };
}
