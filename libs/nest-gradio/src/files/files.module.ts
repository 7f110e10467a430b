import type { Server } from 'node:http';
import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { EndpointRegistry } from '../discovery/endpoint.registry.js';
import { GRADIO_MODULE_OPTIONS } from '../kernel/gradio.constants.js';
import type { ResolvedGradioOptions } from '../options/gradio-module-options.interface.js';
import { AuthModule } from '../auth/auth.module.js';
import { GradioRoutesEnd, GradioRoutesStart } from '../http/route-precedence.js';
import { RawBodies } from '../http/raw-bodies.js';
import { FileServeController } from './file-serve.controller.js';
import { filePlanOf } from './file-plan.js';
import { FileProcessor } from './file-processor.service.js';
import { FileStore } from './file-store.service.js';
import { UploadController } from './upload.controller.js';
import { UploadProgressService } from './upload-progress.service.js';

/**
 * Files (docs/protocol.md#files): uploads and their progress, serving files and URLs, and FileData in and out of handlers
 * (`FileProcessor` implements the queue's `EVENT_FILES` port; GradioModule wires it).
 */
@Module({
  imports: [AuthModule],
  controllers: [GradioRoutesStart, UploadController, FileServeController, GradioRoutesEnd],
  providers: [FileStore, UploadProgressService, FileProcessor, RawBodies],
  exports: [FileStore, FileProcessor],
})
export class FilesModule implements OnApplicationBootstrap {
  constructor(
    private readonly registry: EndpointRegistry,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(GRADIO_MODULE_OPTIONS) private readonly options: ResolvedGradioOptions,
  ) {}

  onApplicationBootstrap(): void {
    // Decide once, before the first event, which parameters and outputs of each endpoint can hold files.
    for (const endpoint of this.registry.all()) filePlanOf(endpoint);
    // Node cuts off any request still arriving after `requestTimeout` (300 s by default): a longer upload
    // timeout must raise it, or uploads would die before their own limit with a bare 408.
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    const wanted = this.options.files.uploadTimeoutMs + 5000;
    if (server && server.requestTimeout > 0 && server.requestTimeout < wanted) server.requestTimeout = wanted;
  }
}
