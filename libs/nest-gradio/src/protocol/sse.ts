import type { Response } from 'express';

/**
 * Starts a Server-Sent Events response. Gradio sets no caching headers; we add `no-cache` and turn proxy buffering
 * off so that messages are not held back by intermediaries.
 */
export function startEventStream(response: Response): void {
  response.status(200);
  response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  response.setHeader('Cache-Control', 'no-cache');
  response.setHeader('Connection', 'keep-alive');
  response.setHeader('X-Accel-Buffering', 'no');
  response.flushHeaders();
  response.socket?.setNoDelay(true);
}
