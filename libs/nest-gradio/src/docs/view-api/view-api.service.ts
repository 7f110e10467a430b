import { Inject, Injectable } from '@nestjs/common';
import { EndpointRegistry } from '../../discovery/endpoint.registry.js';
import { GRADIO_MODULE_OPTIONS } from '../../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../../options/gradio-module-options.interface.js';
import type { HttpRequest } from '../../http/http-exchange.js';
import { rootUrlOf } from '../../http/root-url.js';
import { DocsState } from '../docs-state.js';
import { renderViewApiPage } from './view-api.page.js';

/** Renders the View API page for a request (its root URL comes from the request, as `config.root` does). */
@Injectable()
export class ViewApiPage {
  constructor(
    private readonly registry: EndpointRegistry,
    private readonly docs: DocsState,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  render(request: HttpRequest): string {
    return renderViewApiPage({
      root: rootUrlOf(request, this.options.rootPath),
      title: this.options.title,
      endpoints: this.registry.all(),
      docsPath: this.docs.swaggerPath,
    });
  }
}
