// Golden parity with the real Python Gradio (issue 3): the showcase (src/) and its Gradio twin
// (test/parity/showcase_server.py) must publish the same /config, /gradio_api/info (plain and all_endpoints) and
// /gradio_api/openapi.json, field for field, except the differences listed in parity-differences.ts, and the same
// /monitoring/summary (shape, counts, rates) for the same calls.
// Gradio's outputs are kept in test/parity/golden/, so a change on Gradio's side shows up as a diff:
// `npm run parity` checks, `npm run parity:update` rewrites them after a Gradio upgrade or a mirror change.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SHOWCASE_OPTIONS, SHOWCASE_PROVIDERS } from '../../src/app.module.js';
import { startGradioApp, type RunningApp } from '../support/start-app.js';
import { startGradioMirror, type GradioMirror } from './gradio-mirror.js';
import { diffJson, formatPath, pathMatches, type Difference } from './json-diff.js';
import { ALLOWED_DIFFERENCES } from './parity-differences.js';
import { ParityProbes } from './parity-probes.service.js';

const GOLDEN = join(process.cwd(), 'test', 'parity', 'golden');
const UPDATE = process.env['PARITY_UPDATE'] === '1';
const ROOT = '<root>';

/** The documents compared, by the name their paths start with in parity-differences.ts. */
const DOCUMENTS = {
  config: '/config',
  info: '/gradio_api/info',
  info_all_endpoints: '/gradio_api/info?all_endpoints=True',
  openapi: '/gradio_api/openapi.json',
} as const;
type DocumentName = keyof typeof DOCUMENTS;
const NAMES = Object.keys(DOCUMENTS) as DocumentName[];

/** Fetches a document and writes each server's own root URL as `<root>`, so the two servers compare. */
async function fetchNormalised(base: string, path: string): Promise<unknown> {
  const response = await fetch(`${base}${path}`);
  if (response.status !== 200) throw new Error(`GET ${base}${path} answered ${response.status}`);
  return JSON.parse((await response.text()).replaceAll(base, ROOT));
}

/**
 * What the golden files hold: Gradio's output with its random and per-install values fixed — `app_id`, and each
 * component's `component_class_id`, a hash of the component class's file path (so it changes with the venv's
 * location: a clean clone in another folder has other ids).
 */
function forGolden(name: DocumentName, document: unknown): unknown {
  if (name !== 'config') return document;
  const config = document as { components: Record<string, unknown>[] };
  return {
    ...config,
    app_id: '<random>',
    components: config.components.map((component) =>
      'component_class_id' in component ? { ...component, component_class_id: '<per-install>' } : component,
    ),
  };
}

/** Why a difference is allowed (the reason), or the problems that make it not allowed. */
function judge(name: DocumentName, difference: Difference, gradio: unknown): { allowed: boolean; problems: string[] } {
  // The all_endpoints variant is the plain one without snippets: the same rules apply under `info`.
  const path = [name === 'info_all_endpoints' ? 'info' : name, ...difference.path];
  for (const rule of ALLOWED_DIFFERENCES) {
    if (!rule.paths.some((pattern) => pathMatches(path, pattern))) continue;
    if (rule.kinds && !rule.kinds.includes(difference.kind)) continue;
    const problems = rule.check?.(difference.ours, difference.gradio, path, { gradio }) ?? [];
    return { allowed: problems.length === 0, problems };
  }
  return { allowed: false, problems: [] };
}

function report(name: string, difference: Difference, problems: string[]): string {
  const show = (value: unknown): string =>
    value === undefined ? '(absent)' : (JSON.stringify(value)?.slice(0, 300) ?? String(value));
  return (
    `${name}.${formatPath(difference.path)} [${difference.kind}]\n  ours:   ${show(difference.ours)}\n  Gradio: ${show(difference.gradio)}` +
    problems.map((problem) => `\n  ${problem}`).join('')
  );
}

type Summary = {
  functions: Record<
    string,
    { success_rate: number | null; total_requests: number; process_time_percentiles: Record<string, unknown> }
  >;
};

/** Queues a call through the cURL protocol and reads its stream to the end. */
async function callToCompletion(base: string, name: string, args: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${base}/gradio_api/call/v2/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
  });
  const { event_id: eventId } = (await response.json()) as { event_id: string };
  const stream = await (await fetch(`${base}/gradio_api/call/${name}/${eventId}`)).text();
  if (!stream.includes('event: complete')) throw new Error(`${base}: /${name} did not complete:\n${stream}`);
}

/** Gradio records a finished call a moment after its stream ends: polls until `name` counts `total` calls. */
async function summaryOnceCounted(base: string, name: string, total: number): Promise<Summary> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${base}/monitoring/summary`);
    if (response.status !== 200) throw new Error(`${base}/monitoring/summary answered ${response.status}`);
    const summary = (await response.json()) as Summary;
    if (summary.functions[name]?.total_requests === total || attempt === 50) return summary;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The summary without its timings (which differ from run to run): names, counts, rates and the percentile keys. */
function summaryShape(summary: Summary): unknown {
  const add = summary.functions['add'];
  return {
    functions: Object.keys(summary.functions),
    add: add && {
      ...add,
      process_time_percentiles: Object.fromEntries(
        Object.entries(add.process_time_percentiles).map(([key, value]) => [key, typeof value]),
      ),
    },
  };
}

describe('parity with the real Python Gradio (test/parity/showcase_server.py)', () => {
  let gradio: GradioMirror | undefined;
  let ours: RunningApp | undefined;
  const theirs = {} as Record<DocumentName, unknown>;
  const mine = {} as Record<DocumentName, unknown>;

  beforeAll(async () => {
    [gradio, ours] = await Promise.all([
      startGradioMirror(),
      startGradioApp(SHOWCASE_OPTIONS, [...SHOWCASE_PROVIDERS, ParityProbes]),
    ]);
    for (const name of NAMES) {
      theirs[name] = await fetchNormalised(gradio.url, DOCUMENTS[name]);
      mine[name] = await fetchNormalised(ours.url, DOCUMENTS[name]);
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all([gradio?.close(), ours?.close()]);
  });

  it.each(NAMES)("Gradio's %s matches its golden file (PARITY_UPDATE=1 rewrites it)", async (name) => {
    const file = join(GOLDEN, `${name}.json`);
    const fetched = `${JSON.stringify(forGolden(name, theirs[name]), null, 2)}\n`;
    if (UPDATE) await writeFile(file, fetched);
    const golden = await readFile(file, 'utf8').catch(() => '(missing: run npm run parity:update)');
    expect(fetched).toBe(golden);
  });

  it.each(NAMES)("our %s equals Gradio's field for field, but for the listed differences", (name) => {
    const unexplained = diffJson(mine[name], theirs[name])
      .map((difference) => ({ difference, verdict: judge(name, difference, theirs[name]) }))
      .filter(({ verdict }) => !verdict.allowed)
      .map(({ difference, verdict }) => report(name, difference, verdict.problems));
    expect(unexplained).toEqual([]);
  });

  it('answers /monitoring/summary like Gradio for the same calls: same shape, counts and success rate', async () => {
    // Successful calls only: Gradio's summary route fails with a 500 once a call has failed (its percentiles turn
    // NaN); ours answers null percentiles there instead (see usage-analytics.service.ts).
    const servers = [gradio as GradioMirror, ours as RunningApp];
    for (const { url } of servers)
      for (const args of [
        { a: 1, b: 2 },
        { a: 3, b: 4 },
      ])
        await callToCompletion(url, 'add', args);
    const [theirSummary, ourSummary] = await Promise.all(servers.map(({ url }) => summaryOnceCounted(url, 'add', 2)));
    expect(summaryShape(ourSummary)).toEqual(summaryShape(theirSummary));
    expect(summaryShape(theirSummary)).toEqual({
      functions: ['add'],
      add: {
        success_rate: 1,
        total_requests: 2,
        process_time_percentiles: { '50th': 'number', '90th': 'number', '99th': 'number' },
      },
    });
  }, 60_000);

  it('compares the same endpoints, so that the allowed differences cannot hide a missing one', () => {
    const names = (document: unknown): string[] =>
      Object.keys((document as { named_endpoints: object }).named_endpoints);
    expect(names(mine['info'])).toEqual(names(theirs['info']));
    expect(names(mine['info_all_endpoints'])).toEqual(names(theirs['info_all_endpoints']));
    const apiNames = (document: unknown): string[] =>
      (document as { dependencies: { api_name: string }[] }).dependencies.map((dependency) => dependency.api_name);
    expect(apiNames(mine['config'])).toEqual(apiNames(theirs['config']));
    expect(Object.keys((mine['openapi'] as { paths: object }).paths)).toEqual(
      Object.keys((theirs['openapi'] as { paths: object }).paths),
    );
  });
});
