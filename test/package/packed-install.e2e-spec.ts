// The package as a user gets it: `npm pack` of libs/nest-gradio, installed into a new app outside the workspace
// with only its required peers, compiled with tsc and started; then the optional MCP SDK is added and the app is
// called with the real @gradio/client, Python gradio_client and MCP client. A runtime import the package does not
// declare fails here twice: in the check of the packed files' imports, and when the app starts (the install is
// isolated).
import { Client } from '@gradio/client';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { builtinModules } from 'node:module';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runPython } from '../support/python.js';

const workspace = resolve(import.meta.dirname, '..', '..');
const library = join(workspace, 'libs', 'nest-gradio');
const fixture = join(workspace, 'test', 'package', 'app');

const REQUIRED_PEERS = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  'reflect-metadata',
  'rxjs',
  'class-validator',
];

/** The version installed in the workspace, so that the app gets what the tests ran with (and npm's cache has). */
function workspaceVersion(name: string): string {
  return (
    JSON.parse(readFileSync(join(workspace, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
  ).version;
}

/** npm and tsc without the variables `npm test` sets for the workspace (they would point npm back at it). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return { ...env, ...extra };
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout: 240_000 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${output}`);
  return output;
}

function npm(args: string[], cwd: string): string {
  return run('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], cwd);
}

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts a compiled entry point of the app on a free port; resolves with its printed URL. */
function start(app: string, entry: string, env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [join('dist', entry)], { cwd: app, env: cleanEnv({ PORT: '0', ...env }) });
  let output = '';
  return new Promise((resolvePromise, reject) => {
    const onData = (chunk: Buffer): void => {
      output += String(chunk);
      const found = /Running on local URL: {2}(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (found) resolvePromise({ child, url: found[1] as string, output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) =>
      reject(Object.assign(new Error(`${entry} exited with ${code}:\n${output}`), { output, code })),
    );
  });
}

/** Runs an entry point that must fail to start; resolves with its exit code and output. */
function startFailing(
  app: string,
  entry: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return start(app, entry, env).then(
    (started) => {
      started.child.kill();
      throw new Error(`${entry} started although it should not have:\n${started.output()}`);
    },
    (error: { code: number | null; output: string }) => ({ code: error.code, output: error.output }),
  );
}

/** Every bare module specifier a compiled file imports, split into static and dynamic imports. */
function importsOf(source: string): { static: string[]; dynamic: string[] } {
  const statics = [...source.matchAll(/^\s*(?:import|export)\s(?:[^'"]*?\sfrom\s)?['"]([^'"]+)['"]/gm)].map(
    (match) => match[1] as string,
  );
  const dynamics = [...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((match) => match[1] as string);
  const bare = (specifier: string): boolean =>
    !specifier.startsWith('.') && !specifier.startsWith('node:') && !builtinModules.includes(specifier);
  return { static: statics.filter(bare), dynamic: dynamics.filter(bare) };
}

/** The relative modules a compiled file imports statically, as absolute paths. */
function relativeImportsOf(file: string, source: string): string[] {
  return [...source.matchAll(/^\s*(?:import|export)\s(?:[^'"]*?\sfrom\s)?['"](\.[^'"]+)['"]/gm)].map((match) =>
    join(dirname(file), match[1] as string),
  );
}

/**
 * Every file an app loads when it imports the package's main entry (`nest-gradio`): other entry points (the compiler
 * plugin, which needs TypeScript) load only when asked for.
 */
function reachableFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    pending.push(...relativeImportsOf(file, readFileSync(file, 'utf8')));
  }
  return seen;
}

function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('the packed package, installed into an app outside the workspace', () => {
  let root: string;
  let app: string;
  const running: ChildProcess[] = [];

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'nest-gradio-packed-'));
    app = join(root, 'app');
    // `npm pack` builds the library first (its prepack script), so the tarball never ships a stale dist.
    npm(['pack', '--pack-destination', root], library);
    const tarball = join(root, readdirSync(root).find((name) => name.endsWith('.tgz')) as string);
    cpSync(fixture, app, { recursive: true });
    const dependencies = Object.fromEntries(REQUIRED_PEERS.map((name) => [name, workspaceVersion(name)]));
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'packed-install-app',
        private: true,
        type: 'module',
        dependencies: { 'nest-gradio': `file:${tarball}`, ...dependencies },
        devDependencies: { '@types/node': workspaceVersion('@types/node') },
      }),
    );
    // An isolated install (npm's linked strategy, the layout pnpm uses): the package sees only what it declares, so
    // an undeclared import fails at start even when another package would have brought it along to the top level.
    writeFileSync(join(app, '.npmrc'), 'install-strategy=linked\n');
    npm(['install'], app);
    // The workspace's compiler, as the app's own would be: the app must compile against the package's types alone.
    run(process.execPath, [join(workspace, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], app);
  }, 300_000);

  afterEach(() => {
    for (const child of running.splice(0)) child.kill();
  });

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('declares every package its compiled files import, and imports the optional peers only when used', () => {
    const installed = join(app, 'node_modules', 'nest-gradio');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    };
    const optional = new Set(
      Object.keys(manifest.peerDependenciesMeta ?? {}).filter(
        (name) => manifest.peerDependenciesMeta?.[name]?.optional,
      ),
    );
    const required = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter((name) => !optional.has(name)),
    ]);
    const undeclared: string[] = [];
    const eagerOptional: string[] = [];
    const loadedByDefault = reachableFrom(join(installed, 'dist', 'index.js'));
    for (const file of filesUnder(join(installed, 'dist')).filter((path) => path.endsWith('.js'))) {
      const imports = importsOf(readFileSync(file, 'utf8'));
      const where = file.slice(installed.length + 1);
      for (const name of imports.static.map(packageNameOf)) {
        if (optional.has(name)) {
          if (loadedByDefault.has(file)) eagerOptional.push(`${where}: ${name}`);
        } else if (!required.has(name)) undeclared.push(`${where}: ${name}`);
      }
      for (const name of imports.dynamic.map(packageNameOf)) {
        if (!required.has(name) && !optional.has(name)) undeclared.push(`${where}: ${name}`);
      }
    }
    expect(undeclared).toEqual([]);
    expect(eagerOptional).toEqual([]);
    expect(filesUnder(installed).map((path) => path.slice(installed.length + 1))).toEqual(
      expect.arrayContaining(['LICENSE', 'README.md', 'dist/index.js', 'dist/index.d.ts']),
    );
  });

  it('serves an app that leaves MCP off without the optional peers, to the real @gradio/client', async () => {
    const started = await start(app, 'without-mcp.js');
    running.push(started.child);
    const client = await Client.connect(started.url);
    expect((await client.predict('/add', { a: 3, b: 5 })).data).toEqual([8]);
    await expect(client.predict('/divide', { a: 1, b: 0 })).rejects.toMatchObject({
      message: 'Cannot divide by zero.',
    });
    client.close();
  }, 60_000);

  it('refuses to start with mcpServer on and no MCP SDK, saying what to install', async () => {
    const failed = await startFailing(app, 'main.js');
    expect(failed.code).not.toBe(0);
    expect(failed.output).toContain('needs the package @modelcontextprotocol/sdk, which is not installed');
    expect(failed.output).toContain('Install it: npm install @modelcontextprotocol/sdk zod');
    expect(failed.output).not.toContain('ERR_MODULE_NOT_FOUND');
  }, 60_000);

  it('refuses to start with metrics or tracing on and their package missing, saying what to install', async () => {
    const metrics = await startFailing(app, 'without-mcp.js', { GRADIO_METRICS: '1' });
    expect(metrics.code).not.toBe(0);
    expect(metrics.output).toContain('Metrics (GradioModule option metrics, or GRADIO_METRICS=1) needs the package');
    expect(metrics.output).toContain('Install it: npm install prom-client');
    const tracing = await startFailing(app, 'without-mcp.js', { GRADIO_TRACING: '1' });
    expect(tracing.output).toContain('Install it: npm install @opentelemetry/api');
    expect(`${metrics.output}${tracing.output}`).not.toContain('ERR_MODULE_NOT_FOUND');
  });

  it('refuses to start in distributed mode without bullmq and ioredis, saying what to install', async () => {
    const failed = await startFailing(app, 'without-mcp.js', { GRADIO_REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(failed.code).not.toBe(0);
    expect(failed.output).toContain(
      'Distributed mode (GradioModule option redis, or GRADIO_REDIS_URL) needs the package',
    );
    expect(failed.output).toContain('Install it: npm install ioredis bullmq');
    expect(failed.output).not.toContain('ERR_MODULE_NOT_FOUND');
  }, 60_000);

  it('serves the app to both Gradio clients and an MCP client once the SDK is installed', async () => {
    npm(
      [
        'install',
        `@modelcontextprotocol/sdk@${workspaceVersion('@modelcontextprotocol/sdk')}`,
        `zod@${workspaceVersion('zod')}`,
      ],
      app,
    );
    const started = await start(app, 'main.js');
    running.push(started.child);
    // Swagger UI is an optional peer too: launch() goes on without it and says how to get it.
    expect(started.output()).toContain('npm install @nestjs/swagger');

    const client = await Client.connect(started.url);
    expect((await client.predict('/add', { a: 3, b: 5 })).data).toEqual([8]);
    client.close();
    const python =
      'import json, sys\nfrom gradio_client import Client\n' +
      'print(json.dumps(Client(json.load(sys.stdin), verbose=False).predict(a=3, b=5, api_name="/add")))';
    expect(runPython(python, started.url)).toBe(8);

    const mcp = new McpClient({ name: 'packed-install-test', version: '1.0.0' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${started.url}/gradio_api/mcp/`)));
    try {
      expect((await mcp.listTools()).tools.map((tool) => tool.name)).toEqual(['add']);
      const result = await mcp.callTool({ name: 'add', arguments: { a: 20, b: 22 } });
      expect(result.content).toEqual([{ type: 'text', text: '42' }]);
    } finally {
      await mcp.close();
    }
  }, 180_000);
});
