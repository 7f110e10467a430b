import { connect, type Socket } from 'node:net';
import { Injectable } from '@nestjs/common';
import { GradioApi, type Int } from 'nest-gradio';
import { waitFor } from './protocol.js';

/** How far each `flood` generator got, by tag: tests read it to see whether a generator waits. */
export const produced = new Map<string, number>();

/** `flood(tag, steps)`: a generator that never awaits — without flow control it fills memory as fast as it can. */
@Injectable()
export class FloodService {
  @GradioApi({ name: 'flood', concurrencyLimit: null })
  *flood(tag: string, steps: Int): Generator<string> {
    const padding = 'x'.repeat(200);
    for (let step = 1; step <= steps; step++) {
      produced.set(tag, step);
      yield `${tag}:${step}:${padding}`;
    }
  }
}

/** Opens `GET path` on a raw socket to the app at `url` that reads nothing until `socket.resume()`. */
export function stalledReader(url: string, path: string): { socket: Socket; text: () => string } {
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  socket.pause();
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  return { socket, text: () => text };
}

/** How far the `flood` generator of `tag` got once it stopped advancing (no move between two looks). */
export async function settledCount(tag: string): Promise<number> {
  // Only a guard against hangs bounds the wait.
  let last = -1;
  await waitFor(
    async () => {
      const now = produced.get(tag) ?? 0;
      const settled = now === last && now > 0;
      last = now;
      await new Promise((resolve) => setTimeout(resolve, 250));
      return settled;
    },
    `the generator of ${tag} to stop advancing`,
    30_000,
  );
  return last;
}
