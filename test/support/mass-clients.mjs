#!/usr/bin/env node
// Many Gradio clients on raw sockets, in a process of their own (the server's process keeps its file descriptors for
// the server's side): each socket joins a call and opens its stream — `POST queue/join` then `GET queue/data`, or
// `POST call/{name}` then `GET call/{name}/{id}`, on one keep-alive connection — and waits until the stream shows
// `until`. It prints `ready <n>` once every socket got there. A line `destroy` on stdin then destroys every socket
// in one loop (clients crashing all at once); it prints `destroyed <n>` and exits.
//   node test/support/mass-clients.mjs '{"port":7860,"batch":250,"groups":[{"kind":"join","count":10,
//     "fnIndex":0,"data":["x"],"until":"process_generating"}]}'
import { connect } from 'node:net';
import { createInterface } from 'node:readline';

const { port, batch = 250, groups } = JSON.parse(process.argv[2]);
const sockets = [];

/** One client: resolves once its stream showed `until`; rejects on a refused join or a closed socket. */
function client(group, index) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    const session = `mass-${process.pid}-${group.kind}-${index}`;
    const post =
      group.kind === 'join'
        ? { path: '/gradio_api/queue/join', body: { data: group.data, fn_index: group.fnIndex, session_hash: session } }
        : { path: `/gradio_api/call/${group.apiName}`, body: { data: group.data } };
    const body = JSON.stringify(post.body);
    socket.write(
      `POST ${post.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    let text = '';
    let streaming = false;
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (!streaming) {
        const headEnd = text.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const length = Number(/content-length: *(\d+)/i.exec(text.slice(0, headEnd))?.[1] ?? NaN);
        if (text.length < headEnd + 4 + length) return;
        if (!text.startsWith('HTTP/1.1 200')) return reject(new Error(`${post.path}: ${text.slice(0, 300)}`));
        const eventId = JSON.parse(text.slice(headEnd + 4, headEnd + 4 + length)).event_id;
        const path =
          group.kind === 'join'
            ? `/gradio_api/queue/data?session_hash=${session}`
            : `/gradio_api/call/${group.apiName}/${eventId}`;
        streaming = true;
        text = '';
        socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      } else if (text.includes(group.until)) {
        // Keep only the tail: a stream read for a long time must not fill this process.
        text = '';
        resolve();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`socket ${group.kind} ${index} closed early`)));
  });
}

const clients = groups.flatMap((group) => Array.from({ length: group.count }, () => group));
// Connected in batches: a burst of 10 000 connects at once overflows the listen backlog, and refused SYNs are
// retried after a second or more; what the test is about is them leaving at once.
for (let start = 0; start < clients.length; start += batch) {
  await Promise.all(clients.slice(start, start + batch).map((group, offset) => client(group, start + offset)));
}
console.log(`ready ${sockets.length}`);

const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (line.trim() !== 'destroy') return;
  for (const socket of sockets) {
    socket.removeAllListeners('close');
    socket.destroy();
  }
  console.log(`destroyed ${sockets.length}`);
  process.exit(0);
});
