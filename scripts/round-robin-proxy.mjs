// A plain round-robin HTTP proxy, the kind of balancer distributed mode is made for: each request goes to the next
// backend in turn, with no sticky sessions, so a client's join, its data stream and its cancel land on different
// processes. Streams (SSE) pass through as they come. Used by `npm run start:cluster` and the distributed tests.
import { createServer, request } from 'node:http';

/**
 * Starts the proxy on `port` (0: any free port) of `host`, in front of `backends` (base URLs such as
 * `http://127.0.0.1:7861`). Resolves with its URL and a `close()`.
 * @param {string[]} backends
 * @param {{ port?: number, host?: string }} [options]
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export function startRoundRobinProxy(backends, { port = 0, host = '127.0.0.1' } = {}) {
  const targets = backends.map((backend) => new URL(backend));
  let next = 0;
  const server = createServer((incoming, outgoing) => {
    const target = targets[next++ % targets.length];
    const upstream = request(
      {
        hostname: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        // The Host header stays the client's: the app builds its public URLs (config.root, file URLs) from it.
        headers: { ...incoming.headers, 'x-forwarded-for': incoming.socket.remoteAddress ?? '' },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', (error) => {
      if (outgoing.headersSent) outgoing.destroy();
      else outgoing.writeHead(502, { 'content-type': 'text/plain' }).end(`Bad gateway: ${error.message}`);
    });
    // A client that hangs up (a closed stream) hangs up on the backend too: it must see the departure.
    outgoing.on('close', () => upstream.destroy());
    incoming.pipe(upstream);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve({
        url: `http://${host}:${actual}`,
        port: actual,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
