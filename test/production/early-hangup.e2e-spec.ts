// A client that hangs up while the application's guards are still deciding: its request reaches the handler with
// the connection already closed, and Node never says so again. What the handler opens for it must still end —
// the session's events are dropped as for any stream that went away, and no stream stays open for nobody.
import type { Socket } from 'node:net';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Ctx, GradioApi, type EventContext } from 'nest-gradio';
import { Gate } from '../support/gate.js';
import { LifecycleLog, queueOf } from '../support/lifecycle.js';
import { call, fnIndexes, join, newSessionHash, waitFor } from '../support/protocol.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';

const gate = new Gate();
/** The guard's own gate: a request carrying `x-hold: <key>` waits there before it is let through. */
const guardGate = new Gate();
/** The client connection of each held request, by its key. */
const heldSockets = new Map<string, Socket>();

/** Holds requests marked `x-hold` until the test lets them through (an asynchronous guard, as a real auth check). */
@Injectable()
class SlowGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    // Express's request is the Node request; Fastify's keeps it as `raw`.
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, unknown>; socket?: Socket; raw?: { socket: Socket } }>();
    const key = request.headers['x-hold'];
    if (typeof key !== 'string') return true;
    heldSockets.set(key, (request.raw?.socket ?? request.socket) as Socket);
    await guardGate.pass(key);
    return true;
  }
}

@Injectable()
class Held {
  @GradioApi({ name: 'hold', returns: String })
  async hold(key: string, @Ctx() ctx: EventContext): Promise<string> {
    await gate.pass(key, ctx.signal);
    return key;
  }
}

describe('a client that hangs up before the handler runs', () => {
  let app: RunningApp;
  let fn: Record<string, number>;
  let lifecycle: LifecycleLog;

  beforeAll(async () => {
    app = await startGradioApp({}, [Held], { providers: [{ provide: APP_GUARD, useClass: SlowGuard }] });
    fn = await fnIndexes(app.url);
    lifecycle = new LifecycleLog(app.app);
  });

  afterAll(async () => {
    gate.releaseAll();
    guardGate.releaseAll();
    lifecycle?.stop();
    await app?.close();
  });

  /** Sends a GET held by the guard, hangs up, and lets the request through once the server saw the hang-up. */
  async function hangUpWhileGuarded(path: string, key: string): Promise<void> {
    const client = new AbortController();
    const response = fetch(`${app.url}${path}`, { headers: { 'x-hold': key }, signal: client.signal });
    response.catch(() => undefined);
    await guardGate.arrived(key);
    client.abort();
    await waitFor(() => heldSockets.get(key)?.destroyed === true, 'the server to see the hang-up');
    guardGate.release(key);
  }

  const idle = () =>
    app.processes.every((process) => {
      const { openStreams, running, waiting } = queueOf(process).snapshot();
      return openStreams === 0 && running === 0 && waiting === 0;
    });

  it("queue/data: the session's events are dropped, running or waiting, and its stream does not stay open", async () => {
    const session = newSessionHash();
    const running = await join(app.url, fn['hold'] as number, ['hang-run'], session);
    const waiting = await join(app.url, fn['hold'] as number, ['hang-wait'], session);
    await gate.arrived('hang-run');
    await hangUpWhileGuarded(`/gradio_api/queue/data?session_hash=${session}`, 'data');
    await waitFor(() => lifecycle.has('dropped', waiting), 'the waiting event to be dropped');
    await waitFor(() => lifecycle.running() === 0, 'the running event to stop');
    await waitFor(idle, 'the queue to hold nothing');
    expect(lifecycle.has('completed', running)).toBe(false);
    expect(gate.arrivals).not.toContain('hang-wait');
  });

  it('GET call/{api}/{event_id}: the event stops and its stream does not stay open', async () => {
    const eventId = await call(app.url, 'hold', { data: ['hang-call'] });
    await gate.arrived('hang-call');
    await hangUpWhileGuarded(`/gradio_api/call/hold/${eventId}`, 'call');
    await waitFor(() => lifecycle.running() === 0, 'the event to stop');
    await waitFor(idle, 'the queue to hold nothing');
    expect(lifecycle.has('completed', eventId)).toBe(false);
  });
});
