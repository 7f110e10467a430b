#!/usr/bin/env node
// Upper-bound experiments for issue 13 (not shipped, not safe: they skip whatever the app configured). The showcase
// as `npm start` serves it, except that `POST /gradio_api/queue/join` is taken ahead of Express:
//   LEAN_JOIN=bare   a bare node:http handler: the body read by hand, straight into the queue (no guards,
//                    interceptors, pipes, filters, CORS, body-parser or router) — what the framework costs a join;
//   LEAN_JOIN=nest   the body read by hand, then Nest's own handler for the route (the one Express would call:
//                    guards, interceptors, pipes, filters, the reply) — what Express's router and body-parser cost;
//   LEAN_JOIN=chain  the layers of the app's Express router that match the path (found once: body parsers, module
//                    middleware), run in order with the real request, then Nest's handler — what only the router's
//                    matching and dispatching cost (the path has no parameters, so which layers match is fixed).
// Compare with `node bench/ab.mjs --a dist/src/main.js --b bench/experiments/lean-join.mjs --floor` (the env var
// passes through to the started server). Needs `npm run build`.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { EndpointRegistry } from 'nest-gradio';
import { listenForClients } from 'nest-gradio/testing';
import { AppModule } from '../../dist/src/app.module.js';
import { QueueService } from '../../libs/nest-gradio/dist/queue/queue.service.js';

const JOIN = '/gradio_api/queue/join';
const mode = process.env.LEAN_JOIN ?? 'bare';
const app = await NestFactory.create(AppModule, { logger: ['error'] });
await listenForClients(app, Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
const express = app.getHttpAdapter().getInstance();
const server = app.getHttpServer();
const expressListeners = server.listeners('request');
server.removeAllListeners('request');

function readBody(request, done) {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => done(JSON.parse(body)));
}

let lean;
if (mode === 'bare') {
  const queue = app.get(QueueService, { strict: false });
  const registry = app.get(EndpointRegistry, { strict: false });
  lean = (request, response) =>
    readBody(request, (body) => {
      const event = queue.join(registry.getById(body.fn_index), {
        sessionHash: body.session_hash,
        data: body.data,
        simpleFormat: false,
        request: { headers: request.headers, url: request.url, root: '', username: null },
      });
      const text = JSON.stringify({ event_id: event.id });
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    });
} else if (mode === 'chain') {
  const stack = express.router.stack;
  const routeIndex = stack.findIndex((layer) => layer.route?.path === JOIN && layer.route.methods.post);
  // Every layer before the route that would see this request: middleware, and `all` routes (Nest's module middleware).
  const before = stack
    .slice(0, routeIndex)
    .filter((layer) => layer.match(JOIN) && (!layer.route || layer.route._handlesMethod('POST')));
  const chain = [...before, stack[routeIndex]];
  console.log(`chain: ${chain.map((layer) => layer.name).join(' → ')}`);
  lean = (request, response) => {
    Object.setPrototypeOf(request, express.request);
    Object.setPrototypeOf(response, express.response);
    request.res = response;
    response.req = request;
    response.locals = Object.create(null);
    request.originalUrl = request.url;
    request.baseUrl = '';
    let index = 0;
    const next = (error) => {
      const layer = chain[index++];
      if (error || !layer) {
        response.statusCode = error ? 500 : 404;
        response.end();
        return;
      }
      layer.match(JOIN);
      request.params = layer.params ?? {};
      layer.handleRequest(request, response, next);
    };
    next();
  };
} else {
  // The handler Nest registered on the Express route (its whole request pipeline), found in the router.
  const layer = express.router.stack.find(
    (candidate) => candidate.route?.path === JOIN && candidate.route.methods.post,
  );
  const nestHandler = layer.route.stack[0].handle;
  lean = (request, response) =>
    readBody(request, (body) => {
      // What Express's own init does to the pair before any route sees them.
      Object.setPrototypeOf(request, express.request);
      Object.setPrototypeOf(response, express.response);
      request.res = response;
      response.req = request;
      response.locals = Object.create(null);
      request.body = body;
      nestHandler(request, response, (error) => {
        response.statusCode = error ? 500 : 404;
        response.end();
      });
    });
}

server.on('request', (request, response) => {
  if (request.method === 'POST' && request.url === JOIN) return lean(request, response);
  for (const listener of expressListeners) listener.call(server, request, response);
});
console.log(`* Running on local URL:  http://127.0.0.1:${server.address().port} (join: ${mode})`);
