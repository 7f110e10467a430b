/** Reads a whole SSE response body (until the server ends it) as text, with a safety timeout. */
export async function readStream(url: string, timeoutMs = 10_000): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return response.text();
}

/** Parses a `queue/data` body into its JSON messages, checking the framing on the way. */
export function parseQueueData(body: string): Record<string, unknown>[] {
  if (!body.endsWith('\n\n'))
    throw new Error(`Stream does not end with a blank line: ${JSON.stringify(body.slice(-40))}`);
  return body
    .slice(0, -2)
    .split('\n\n')
    .map((block) => {
      if (!block.startsWith('data: ') || block.includes('\n'))
        throw new Error(`Bad SSE block: ${JSON.stringify(block)}`);
      return JSON.parse(block.slice('data: '.length)) as Record<string, unknown>;
    });
}

/** Opens an SSE stream and calls `onMessage` for each `data:` block, until the server ends it or `abort()`. */
export function openStream(url: string, onBlock: (block: string) => void): { done: Promise<void>; abort(): void } {
  const controller = new AbortController();
  const done = (async () => {
    const response = await fetch(url, { signal: controller.signal });
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          onBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  })();
  return { done, abort: () => controller.abort() };
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, json };
}
