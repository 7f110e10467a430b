/** See round-robin-proxy.mjs. */
export function startRoundRobinProxy(
  backends: string[],
  options?: { port?: number; host?: string },
): Promise<{ url: string; port: number; close(): Promise<void> }>;
