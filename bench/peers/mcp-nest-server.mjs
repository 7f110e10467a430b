#!/usr/bin/env node
// The MCP peer: a minimal NestJS app on @rekog/mcp-nest (the NestJS MCP library, on MCP SDK v2) with the same `add`
// tool as the showcase, served over stateless Streamable HTTP (its default: JSON answers, no session) at
// POST /gradio_api/mcp, the path the load generator calls. No queue: the tool runs as soon as the request arrives.
// Plain ESM without a compiler, so the decorators are applied as the functions they are.
// Env: PORT (0 = any), HOST.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { McpController, McpStrategy, StreamableHttpTransport, Tool } from '@rekog/mcp-nest';
import { z } from 'zod';

class AddController {
  add({ a, b }) {
    return { content: [{ type: 'text', text: String(a + b) }] };
  }
}
Tool({
  name: 'add',
  description: 'Add two numbers together.',
  parameters: z.object({ a: z.number().int(), b: z.number().int() }),
})(AddController.prototype, 'add', Object.getOwnPropertyDescriptor(AddController.prototype, 'add'));
Payload()(AddController.prototype, 'add', 0);
McpController()(AddController);

class AppModule {}
Module({ controllers: [AddController] })(AppModule);

const mcp = new McpStrategy({
  name: 'mcp-nest-peer',
  version: '1.0.0',
  transports: [new StreamableHttpTransport({ endpoint: '/gradio_api/mcp' })],
});

const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
mcp.setHttpAdapter(app.getHttpAdapter());
app.connectMicroservice({ strategy: mcp });
await app.startAllMicroservices();
const host = process.env.HOST ?? '127.0.0.1';
await app.listen(Number(process.env.PORT ?? 0), host);
app.enableShutdownHooks();
console.log(`* Running on local URL:  http://${host}:${app.getHttpServer().address().port}`);
