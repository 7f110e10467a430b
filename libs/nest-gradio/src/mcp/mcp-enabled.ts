import { NotFoundException } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The MCP routes are always registered (options may only be known at run time, with `forRootAsync`) and answer
 * exactly like a missing route while the MCP server is off.
 */
export function assertMcpEnabled(enabled: boolean, request: Request): void {
  if (!enabled) throw new NotFoundException(`Cannot ${request.method} ${request.path}`);
}
