#!/usr/bin/env node
// How many pending connections this Node accepts per turn of its event loop:
//   node bench/accept-rate.mjs [--connections 100]
// A server's loop is held busy for half a second while a child process opens N connections (the kernel completes
// their handshakes and queues them); then the script counts the `connection` events of each following loop turn.
// Here (Node v20.20.2, libuv 1.46.0) it accepts one per turn: a burst of N new connections takes N turns to be accepted, so
// under load (long turns) the last of them wait seconds — the tail of the c=256 benchmark (docs/performance.md).
import { spawn } from 'node:child_process';
import net from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { connections: { type: 'string', default: '100' } } });
const wanted = Number(values.connections);
let turn = 0;
const acceptedPerTurn = new Map();
const server = net.createServer((socket) => {
  acceptedPerTurn.set(turn, (acceptedPerTurn.get(turn) ?? 0) + 1);
  socket.on('error', () => undefined);
});
server.listen(0, '127.0.0.1', 2048, () => {
  const { port } = server.address();
  const count = () => {
    turn++;
    setImmediate(count);
  };
  setImmediate(count);
  const child = spawn(process.execPath, [
    '-e',
    `const net = require('node:net');
     for (let i = 0; i < ${wanted}; i++) net.connect(${port}, '127.0.0.1').on('error', () => {});
     setTimeout(() => process.exit(), 3000);`,
  ]);
  const busyUntil = Date.now() + 500;
  while (Date.now() < busyUntil); // the loop is busy while the connections arrive
  const report = setInterval(() => {
    const accepted = [...acceptedPerTurn.values()].reduce((sum, n) => sum + n, 0);
    if (accepted < wanted) return;
    clearInterval(report);
    const perTurn = [...acceptedPerTurn.values()];
    console.log(
      JSON.stringify({
        node: process.version,
        libuv: process.versions.uv,
        connections: wanted,
        turnsToAcceptAll: perTurn.length,
        maxAcceptedInOneTurn: Math.max(...perTurn),
      }),
    );
    child.kill();
    server.close();
    process.exit(0);
  }, 50);
});
