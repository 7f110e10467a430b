import 'reflect-metadata';
import { launch } from 'nest-gradio';
import { AppModule } from './app.module.js';

// `node dist/src/main.js --mcp-stdio` serves the MCP tools on stdin/stdout, for desktop MCP clients (docs/mcp.md#stdio).
await launch(AppModule, { mcp: process.argv.includes('--mcp-stdio') ? 'stdio' : undefined });
