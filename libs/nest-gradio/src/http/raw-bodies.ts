import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

interface FastifyContentTypes {
  hasContentTypeParser(contentType: string): boolean;
  addContentTypeParser(
    contentType: string,
    parser: (request: unknown, payload: unknown, done: () => void) => void,
  ): void;
}

/**
 * Uploads and login forms are `multipart/form-data`, which the library reads itself from the Node request (busboy).
 * Express passes bodies it does not parse through untouched; Fastify answers 415 to a content type it has no parser
 * for. On Fastify this adds a parser that leaves such a body unread — unless the application has one (e.g.
 * `@fastify/multipart`, whose parser also leaves the stream to the route).
 */
@Injectable()
export class RawBodies implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'fastify') return;
    const instance = adapter.getInstance() as FastifyContentTypes;
    if (instance.hasContentTypeParser('multipart/form-data')) return;
    instance.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done());
  }
}
