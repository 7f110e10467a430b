#!/usr/bin/env node
// The load generator on its own, against any running server that speaks Gradio's protocol:
//   node bench/load.mjs --url http://127.0.0.1:7860 [--workload add] [--protocol queue|call|mcp]
//        [--mode closed|open] [--concurrency 16] [--rate 200] [--duration 5] [--warmup 1] [--n 100] [--seconds 0.1]
//        [--session-calls N] [--strict]
// Prints one JSON object: calls/s, result messages/s, latency and dispatch percentiles (ms), failures with the
// first errors. Every answer is verified. With --strict the exit code is 1 when any call failed or none succeeded.
import { parseArgs } from 'node:util';
import { runLoad } from './lib/load-test.mjs';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    workload: { type: 'string', default: 'add' },
    protocol: { type: 'string', default: 'queue' },
    mode: { type: 'string', default: 'closed' },
    concurrency: { type: 'string', default: '16' },
    rate: { type: 'string', default: '200' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    n: { type: 'string' },
    seconds: { type: 'string' },
    'session-calls': { type: 'string' },
    'mcp-path': { type: 'string', default: '/gradio_api/mcp/' },
    strict: { type: 'boolean', default: false },
  },
});
if (!values.url) {
  console.error('usage: node bench/load.mjs --url http://127.0.0.1:7860 [--workload add] [--protocol queue] …');
  process.exit(2);
}
const number = (value) => (value === undefined ? undefined : Number(value));

const result = await runLoad({
  url: values.url,
  workload: values.workload,
  protocol: values.protocol,
  mode: values.mode,
  concurrency: number(values.concurrency),
  rate: number(values.rate),
  durationS: number(values.duration),
  warmupS: number(values.warmup),
  n: number(values.n),
  seconds: number(values.seconds),
  sessionCalls: number(values['session-calls']) ?? Infinity,
  mcpPath: values['mcp-path'],
});
console.log(JSON.stringify(result, null, 2));
if (values.strict && (result.failures > 0 || result.ok === 0)) process.exit(1);
