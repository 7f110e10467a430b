#!/usr/bin/env node
// `npm test`: prepares what the tests need (npm ci when node_modules is missing or stale, build, Python venv,
// browser), runs Jest then pytest, and ends with one line `N passed, N failed` over both. Extra arguments are
// passed to Jest (e.g. a test path pattern).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled } from './ensure-installed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reports = join(root, 'test', 'artifacts', 'reports');
const jestArgs = process.argv.slice(2);
const onlyJest = jestArgs.length > 0;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** What Prettier formats (and `npm run format` rewrites). */
const PRETTIER_FILES = ['**/*.{ts,js,mjs,cjs,css}'];

function step(title) {
  console.log(`\n=== ${title} ===`);
}

rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

step('setup');
if (!ensureInstalled() || run('bash', ['scripts/setup.sh']) !== 0) {
  console.log('Setup failed.');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

let passed = 0;
let failed = 0;

// Jest transpiles without type-checking; the compiler checks every file, tests included, as one more test.
step('typecheck');
if (run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']) === 0) passed += 1;
else failed += 1;

// The library's folders form layers (.dependency-cruiser.cjs); an import against them is one more failed test.
step('dependency layers');
if (
  run(process.execPath, [
    'node_modules/dependency-cruiser/bin/dependency-cruise.mjs',
    'libs/nest-gradio/src',
    '--config',
    '.dependency-cruiser.cjs',
  ]) === 0
)
  passed += 1;
else failed += 1;

// House rules: ESLint (eslint.config.js) and Prettier's formatting (.prettierrc.json), each one more test.
step('lint');
if (run(process.execPath, ['node_modules/eslint/bin/eslint.js', '.']) === 0) passed += 1;
else failed += 1;
step('format');
if (
  run(process.execPath, [
    'node_modules/prettier/bin/prettier.cjs',
    '--check',
    '--log-level',
    'warn',
    ...PRETTIER_FILES,
  ]) === 0
) {
  passed += 1;
} else {
  failed += 1;
}

step('jest');
jestPass('jest.json', jestArgs);

/** One Jest run of the suites `args` selects, with `env` added, counted from its JSON report `report`. */
function jestPass(report, args, env = {}) {
  const file = join(reports, report);
  run(
    process.execPath,
    [
      '--experimental-vm-modules',
      'node_modules/jest/bin/jest.js',
      '--forceExit',
      '--json',
      `--outputFile=${file}`,
      ...args,
    ],
    { env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules --no-warnings', ...env } },
  );
  countJest(file);
}

/** Adds the results of a Jest JSON report to the counts (a suite that cannot even load counts as one failure). */
function countJest(report) {
  if (!existsSync(report)) {
    failed += 1;
    return;
  }
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  failed += results.testResults.filter(
    (suite) => suite.status === 'failed' && suite.assertionResults.length === 0,
  ).length;
}

/**
 * The suites that run a second time with the apps on Fastify (GRADIO_TEST_ADAPTER=fastify; Express is the default):
 * the protocol's conformance, route precedence and 405 answers, both real clients, the MCP tests, the docs, files,
 * auth and CORS suites, the application's guards, interceptors and handler context, and clients that leave or do not
 * read (their sockets are the adapter's).
 */
const FASTIFY_SUITES = [
  'test/conformance/',
  'test/route-precedence\\.e2e-spec\\.ts$',
  'test/method-not-allowed\\.e2e-spec\\.ts$',
  'test/js-client\\.e2e-spec\\.ts$',
  'test/mcp/',
  'test/enhancers/',
  'test/handler-context\\.e2e-spec\\.ts$',
  'test/files/',
  'test/auth/(auth|conformance-auth)\\.e2e-spec\\.ts$',
  'test/api-docs/(openapi|snippets|view-api-routes)\\.e2e-spec\\.ts$',
  'test/production/(mass-disconnect|flow-control-enhancers)\\.e2e-spec\\.ts$',
];

/** The suites that run against two distributed processes (GRADIO_TEST_CLUSTER=2). */
const CLUSTER_SUITES = [
  'test/conformance/',
  'test/js-client\\.e2e-spec\\.ts$',
  'test/production/early-hangup\\.e2e-spec\\.ts$',
];

if (!onlyJest) {
  step('jest on Fastify');
  jestPass('jest-fastify.json', FASTIFY_SUITES, { GRADIO_TEST_ADAPTER: 'fastify' });

  // The protocol's conformance suite, the JS client's and the early hang-ups, a third time against two apps in
  // distributed mode on one redis-server (each test file starts its own) behind the round-robin proxy
  // (GRADIO_TEST_CLUSTER=2).
  step('jest on two distributed processes');
  jestPass('jest-cluster.json', CLUSTER_SUITES, { GRADIO_TEST_CLUSTER: '2' });

  // The Python client's suite, against one process, against two processes in distributed mode (one redis-server)
  // behind the round-robin proxy of `npm run start:cluster`, and against one process on Fastify. The three passes run
  // side by side (each with its own servers on free ports, and its own temporary folder): a pass spends most of its
  // time waiting on its calls, and one after another they would take three times as long. Each pass's output is
  // printed once it ended, in this order.
  const pytestPasses = [
    ['pytest', {}, 'pytest'],
    ['pytest, two distributed processes', { COMPAT_CLUSTER: '2' }, 'pytest-cluster'],
    ['pytest on Fastify', { GRADIO_TEST_ADAPTER: 'fastify' }, 'pytest-fastify'],
  ].map(([label, env, name]) => ({ label, junit: join(reports, `${name}.xml`), output: pytestPass(name, env) }));
  for (const { label, junit, output } of pytestPasses) {
    step(label);
    process.stdout.write(await output);
    countJunit(junit);
  }
}

/** Runs the Python client's suite with `env` added, into the JUnit report `<name>.xml`; resolves with its output. */
function pytestPass(name, env) {
  const args = [
    '-m',
    'pytest',
    'test/compat',
    '-q',
    '-p',
    'no:cacheprovider',
    `--junitxml=${join(reports, `${name}.xml`)}`,
  ];
  const temporary = join(root, 'test', 'artifacts', 'tmp');
  mkdirSync(temporary, { recursive: true });
  args.push(`--basetemp=${join(temporary, name)}`);
  return new Promise((resolve) => {
    const child = spawn(join(root, '.venv', 'bin', 'python'), args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.once('error', (error) => chunks.push(Buffer.from(`${error.message}\n`)));
    child.once('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Adds the results of a JUnit report to the counts (a skipped test counts as failed; a missing report as one). */
function countJunit(junit) {
  if (!existsSync(junit)) {
    failed += 1;
    return;
  }
  const xml = readFileSync(junit, 'utf8');
  const suite = /<testsuite\b[^>]*>/.exec(xml)?.[0] ?? '';
  const count = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite)?.[1] ?? 0);
  const total = count('tests');
  const bad = count('failures') + count('errors');
  passed += total - bad - count('skipped');
  failed += bad + count('skipped');
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
