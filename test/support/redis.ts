import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';

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

async function spawnRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
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
