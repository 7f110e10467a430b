// The built showcase in a process of its own, with what the soaks read of it from outside: its inspector (a full GC,
// then the live heap), /proc (RSS, open descriptors) and the tail of what it printed. Used by bench/soak.mjs and
// bench/soak-mixed.mjs.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { WebSocket } from 'undici';

/**
 * Starts `dist/src/main.js` with `--inspect` on a free port and connects to its inspector.
 * @param {Record<string, string>} [env] added to this process's environment
 */
export async function startInspectedServer(env = {}) {
  const server = spawn(process.execPath, ['--inspect=127.0.0.1:0', 'dist/src/main.js'], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keepTail = (chunk) => (log = (log + String(chunk)).slice(-4000));
  const inspectorUrl = new Promise((resolve) => {
    server.stderr.on('data', (chunk) => {
      keepTail(chunk);
      const match = /Debugger listening on (ws:\S+)/.exec(String(chunk));
      if (match) resolve(match[1]);
    });
  });
  const url = await new Promise((resolve, reject) => {
    // Read all the server prints (failing endpoints log): a full pipe would stop it.
    server.stdout.on('data', (chunk) => {
      keepTail(chunk);
      const match = /Running on local URL:\s+(\S+)/.exec(String(chunk));
      if (match) resolve(match[1].replace(/\/$/, ''));
    });
    server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${log}`)));
  });
  const inspector = new WebSocket(await inspectorUrl);
  await new Promise((resolve) => inspector.addEventListener('open', resolve, { once: true }));
  let lastId = 0;
  /** One inspector protocol command; resolves with its result. */
  function inspect(method, params = {}) {
    const id = ++lastId;
    inspector.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve) => {
      const onMessage = (event) => {
        const reply = JSON.parse(String(event.data));
        if (reply.id !== id) return;
        inspector.removeEventListener('message', onMessage);
        resolve(reply.result);
      };
      inspector.addEventListener('message', onMessage);
    });
  }
  return {
    server,
    url,
    inspector,
    inspect,
    /** The tail of what the server printed. */
    log: () => log,
    /** The server's live heap after full GCs, in MB: garbage not yet collected does not pass for a leak. */
    async liveHeapMb() {
      await inspect('HeapProfiler.collectGarbage');
      await inspect('HeapProfiler.collectGarbage');
      const { result } = await inspect('Runtime.evaluate', {
        expression: 'process.memoryUsage().heapUsed',
        returnByValue: true,
      });
      return result.value / 2 ** 20;
    },
    rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))[1]) / 1024,
    openFds: () => readdirSync(`/proc/${server.pid}/fd`).length,
    close() {
      inspector.close();
      server.kill();
    },
  };
}
