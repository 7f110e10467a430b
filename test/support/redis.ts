import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A redis-server of its own on a loopback port, without persistence, for one test file. */
export interface RedisServer {
  port: number;
  url: string;
  /** Stops the server (SIGTERM, then SIGKILL); resolves once the process exited. */
  stop(): Promise<void>;
  /** Stops the server and starts a new one on the same port (an empty one: nothing is persisted). */
  restart(): Promise<void>;
}

/** Debian's redis-server, installed by scripts/setup.sh. */
const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? 'redis-server';

/** A port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `redis-server` on a free loopback port and waits until it accepts connections. */
export async function startRedis(port?: number): Promise<RedisServer> {
  const chosen = port ?? (await freePort());
  let child = await spawnRedis(chosen);
  const stop = async (): Promise<void> => {
    await stopChild(child);
  };
  return {
    port: chosen,
    url: `redis://127.0.0.1:${chosen}`,
    stop,
    restart: async () => {
      await stop();
      child = await spawnRedis(chosen);
    },
  };
}

/**
 * A Redis Sentinel set on loopback ports: a master, a replica of it, and one sentinel watching them (quorum 1,
 * master declared down after 1 s). Connect with `{ sentinels, name }` (ioredis' options).
 */
export interface RedisSentinelSet {
  sentinels: { host: string; port: number }[];
  name: string;
  masterPort: number;
  replicaPort: number;
  /** The master's address as the sentinel reports it now (`host:port`). */
  currentMaster(): Promise<string>;
  /** Kills the master (SIGKILL): the sentinel promotes the replica. */
  killMaster(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedisSentinelSet(): Promise<RedisSentinelSet> {
  const [masterPort, replicaPort, sentinelPort] = [await freePort(), await freePort(), await freePort()];
  const name = 'gradio-master';
  const master = await spawnRedis(masterPort);
  const replica = await spawnRedis(replicaPort, ['--replicaof', '127.0.0.1', String(masterPort)]);
  // A sentinel rewrites its configuration file: it gets one of its own.
  const directory = await mkdtemp(join(tmpdir(), 'redis-sentinel-'));
  const config = join(directory, 'sentinel.conf');
  await writeFile(
    config,
    [
      `port ${sentinelPort}`,
      'bind 127.0.0.1',
      `sentinel monitor ${name} 127.0.0.1 ${masterPort} 1`,
      `sentinel down-after-milliseconds ${name} 1000`,
      `sentinel failover-timeout ${name} 5000`,
      '',
    ].join('\n'),
  );
  const sentinel = await spawnRedis(sentinelPort, [], [config, '--sentinel']);
  const children = [master, replica, sentinel];
  return {
    sentinels: [{ host: '127.0.0.1', port: sentinelPort }],
    name,
    masterPort,
    replicaPort,
    currentMaster: async () => {
      const reply = await command(sentinelPort, ['SENTINEL', 'get-master-addr-by-name', name]);
      const [host, port] = [...reply.matchAll(/^([^$*\r\n][^\r\n]*)$/gm)].map((match) => match[1]);
      return `${host}:${port}`;
    },
    killMaster: async () => {
      master.kill('SIGKILL');
      await new Promise((resolve) =>
        master.exitCode !== null || master.signalCode !== null ? resolve(null) : master.once('exit', resolve),
      );
    },
    stop: async () => {
      await Promise.all(children.map(stopChild));
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Sends one command in Redis' protocol and returns the raw reply, once it stopped arriving. */
function command(port: number, parts: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let reply = '';
    socket.once('error', reject);
    socket.connect(port, '127.0.0.1', () =>
      socket.write(`*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`),
    );
    socket.on('data', (data) => {
      reply += data.toString();
      setTimeout(() => {
        socket.destroy();
        resolve(reply);
      }, 50);
    });
  });
}

async function spawnRedis(port: number, extra: string[] = [], leading: string[] = []): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER,
    [
      ...leading,
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--loglevel',
      'warning',
      ...extra,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<never>((_resolve, reject) => {
    child.once('error', (error) =>
      reject(new Error(`Cannot start ${REDIS_SERVER} (run scripts/setup.sh): ${error.message}`)),
    );
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${stderr}`)));
  });
  await Promise.race([waitForPort(port), exited]);
  return child;
}

async function waitForPort(port: number): Promise<void> {
  for (;;) {
    if (await answersPing(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A loopback TCP proxy to a Redis that holds each command for a while: a process whose Redis is far away. */
export interface LaggingProxy {
  url: string;
  close(): Promise<void>;
}

/** Passes what clients send on to `port` after `delayMs` (in order), and the answers back at once. */
export async function startLaggingProxy(port: number, delayMs: number): Promise<LaggingProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = new Socket().connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => setTimeout(() => upstream.write(chunk), delayMs));
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
