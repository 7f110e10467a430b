// `launch()` prints the MCP URL when MCP is on, like Gradio's launch(mcp_server=True); the showcase (`npm start`,
// built in dist/) turns it on, and an MCP client reaches its tools at the printed URL.
import { spawn } from 'node:child_process';
import { testAdapter } from '../support/start-app.js';
import { connectStreamableHttp } from './mcp-clients.js';

it('prints the streamable HTTP MCP URL, where the showcase tools are listed', async () => {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, PORT: '0', GRADIO_HTTP_ADAPTER: testAdapter() },
  });
  try {
    const [local, mcp] = await new Promise<[string, string]>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += String(chunk);
        const found =
          /^\* Running on local URL: {2}(http:\/\/127\.0\.0\.1:\d+)\n\* Streamable HTTP MCP server URL: (\S+)$/m.exec(
            output,
          );
        if (found) resolve([found[1] as string, found[2] as string]);
      });
      child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    expect(mcp).toBe(`${local}/gradio_api/mcp/`);
    const client = await connectStreamableHttp(local);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['add', 'multiply', 'hello']));
    await client.close();
  } finally {
    child.kill();
  }
}, 30_000);
