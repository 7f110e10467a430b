import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { StatelessPostTransport } from './stateless-post.transport.js';

const request = (id: number): JSONRPCMessage => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 't' } });
const answer = (id: number, value: unknown): JSONRPCMessage => ({ jsonrpc: '2.0', id, result: { value } });
const note = (text: string): JSONRPCMessage => ({ jsonrpc: '2.0', method: 'notifications/message', params: { text } });

/** A loopback server whose every request is answered by a transport the test drives. */
async function serving(drive: (transport: StatelessPostTransport, response: ServerResponse) => void): Promise<{
  url: string;
  server: Server;
}> {
  const server = createServer((_request, response) => drive(new StatelessPostTransport(response), response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

function eventsOf(body: string): unknown[] {
  return body
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      expect(block.startsWith('event: message\ndata: ')).toBe(true);
      return JSON.parse(block.slice('event: message\ndata: '.length));
    });
}

describe('StatelessPostTransport', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  it("streams each request's related notifications and answer, and ends after the last answer", async () => {
    const heard: unknown[] = [];
    let url: string;
    ({ server, url } = await serving((transport) => {
      transport.onmessage = (message) => {
        heard.push(message);
        if (!('id' in message)) return;
        const id = message.id as number;
        // The second request is answered first: the stream ends only when both are.
        setTimeout(
          () => {
            void transport.send(note(`working on ${id}`), { relatedRequestId: id });
            void transport.send(answer(id, id * 10));
          },
          id === 1 ? 30 : 0,
        );
      };
      transport.receive({ messages: [request(1), note('hello'), request(2)], expectsAnswers: true }, {});
    }));
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(eventsOf(await response.text())).toEqual([
      note('working on 2'),
      answer(2, 20),
      note('working on 1'),
      answer(1, 10),
    ]);
    expect(heard).toEqual([request(1), note('hello'), request(2)]);
  });

  it('answers a POST of notifications only with 202 and an empty body, and still hands them over', async () => {
    const heard: unknown[] = [];
    let url: string;
    ({ server, url } = await serving((transport) => {
      transport.onmessage = (message) => heard.push(message);
      transport.receive({ messages: [note('a'), note('b')], expectsAnswers: false }, {});
    }));
    const response = await fetch(url);
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
    expect(heard).toEqual([note('a'), note('b')]);
  });

  it('sends the headers while a slow answer is still due, so that the client is not left waiting for them', async () => {
    let respond: (() => void) | undefined;
    let url: string;
    ({ server, url } = await serving((transport) => {
      transport.onmessage = () => {
        respond = () => void transport.send(answer(7, 'late'));
      };
      transport.receive({ messages: [request(7)], expectsAnswers: true }, {});
    }));
    const response = await fetch(url);
    expect(response.status).toBe(200);
    respond?.();
    expect(eventsOf(await response.text())).toEqual([answer(7, 'late')]);
  });

  it('ends the stream without the answers still due when closed, and tells the server', async () => {
    let closedForServer = false;
    let url: string;
    ({ server, url } = await serving((transport) => {
      transport.onclose = () => (closedForServer = true);
      transport.onmessage = () => {
        void transport.send(note('started'), { relatedRequestId: 1 });
        setTimeout(() => void transport.close(), 10);
      };
      transport.receive({ messages: [request(1)], expectsAnswers: true }, {});
    }));
    const response = await fetch(url);
    expect(eventsOf(await response.text())).toEqual([note('started')]);
    expect(closedForServer).toBe(true);
  });

  it('refuses a message related to a request the POST did not carry, and drops one related to none', async () => {
    const outcomes: string[] = [];
    let url: string;
    ({ server, url } = await serving((transport) => {
      transport.onmessage = () => {
        void transport.send(note('nowhere')).then(() => outcomes.push('unrelated: dropped'));
        transport.send(note('stranger'), { relatedRequestId: 99 }).catch((error: Error) => {
          outcomes.push(error.message);
          void transport.send(answer(1, 'done'));
        });
      };
      transport.receive({ messages: [request(1)], expectsAnswers: true }, {});
    }));
    const response = await fetch(url);
    expect(eventsOf(await response.text())).toEqual([answer(1, 'done')]);
    expect(outcomes).toEqual(['unrelated: dropped', 'No connection established for request ID: 99']);
  });

  it('makes every send behind a slow reader wait for one drain of the socket', async () => {
    let response: ServerResponse | undefined;
    let transport: StatelessPostTransport | undefined;
    ({ server } = await serving((driven, node) => {
      transport = driven;
      response = node;
      transport.onmessage = () => undefined;
      transport.receive({ messages: [request(1)], expectsAnswers: true }, {});
    }));
    // A client that sends its request and then reads nothing.
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    socket.pause();
    while (!transport) await new Promise((resolve) => setTimeout(resolve, 5));
    const big = 'x'.repeat(256 * 1024);
    const sends = Array.from({ length: 40 }, () => transport!.send(note(big), { relatedRequestId: 1 }));
    expect(response!.listenerCount('drain')).toBe(1);
    let read = 0;
    let tail = '';
    const ended = new Promise<void>((resolve) =>
      socket.on('data', (chunk: Buffer) => {
        read += chunk.length;
        tail = (tail + chunk.toString('latin1')).slice(-64);
        // The last chunk of a chunked body (the connection itself stays open for the next request).
        if (tail.endsWith('\r\n0\r\n\r\n')) resolve();
      }),
    );
    socket.resume();
    await Promise.all(sends);
    await transport.send(answer(1, 'done'));
    await ended;
    expect(read).toBeGreaterThan(40 * big.length);
    socket.destroy();
  });
});
