// The V8 inspector of a Node server started with --inspect: forces a full GC and reads the live heap (so garbage
// not yet collected does not pass for a leak), and records CPU profiles of a chosen window.
import { WebSocket } from 'undici';

export class Inspector {
  #socket;
  #nextId = 0;
  #waiting = new Map();

  static async connect(webSocketUrl) {
    const inspector = new Inspector();
    inspector.#socket = new WebSocket(webSocketUrl);
    await new Promise((resolve, reject) => {
      inspector.#socket.addEventListener('open', resolve, { once: true });
      inspector.#socket.addEventListener('error', reject, { once: true });
    });
    inspector.#socket.addEventListener('message', (event) => {
      const reply = JSON.parse(String(event.data));
      const waiter = inspector.#waiting.get(reply.id);
      if (!waiter) return;
      inspector.#waiting.delete(reply.id);
      if (reply.error) waiter.reject(new Error(`${reply.error.message}`));
      else waiter.resolve(reply.result);
    });
    return inspector;
  }

  send(method, params = {}) {
    const id = ++this.#nextId;
    this.#socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => this.#waiting.set(id, { resolve, reject }));
  }

  /** The live heap after a full GC, in MB. */
  async liveHeapMb() {
    await this.send('HeapProfiler.collectGarbage');
    const { result } = await this.send('Runtime.evaluate', {
      expression: 'process.memoryUsage().heapUsed',
      returnByValue: true,
    });
    return Number((result.value / 1024 / 1024).toFixed(2));
  }

  async startProfiling(samplingIntervalUs = 100) {
    await this.send('Profiler.enable');
    await this.send('Profiler.setSamplingInterval', { interval: samplingIntervalUs });
    await this.send('Profiler.start');
  }

  /** Stops the profiler; returns the profile (the `.cpuprofile` JSON that `node --cpu-prof` writes). */
  async stopProfiling() {
    const { profile } = await this.send('Profiler.stop');
    return profile;
  }

  close() {
    this.#socket.close();
  }
}
