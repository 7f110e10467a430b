// What the load generator calls and how it checks each answer. Every call's value is verified — a fast wrong answer
// is a failure — and generator steps are rebuilt from their diffs the way both official clients rebuild them.
import { applyDiff } from './apply-diff.mjs';

/**
 * The showcase endpoints the benchmarks use (the README's showcase table), with arguments per call sequence number and the
 * outputs they must produce. `steps` lists the values a generator yields, in order.
 */
export const WORKLOADS = {
  add: {
    api: 'add',
    args: (seq) => [seq % 100_003, (seq * 31) % 997],
    outputs: ([a, b]) => [a + b],
    mcpArguments: ([a, b]) => ({ a, b }),
  },
  count: {
    api: 'count',
    args: (_seq, options) => [options.n ?? 100],
    outputs: ([n]) => [n],
    steps: ([n]) => Array.from({ length: n }, (_unused, index) => [index + 1]),
  },
  slow_echo: {
    api: 'slow_echo',
    args: (seq, options) => [`echo ${seq}`, options.seconds ?? 0.1],
    outputs: ([text]) => [text],
  },
  hello: {
    api: 'hello',
    args: (seq) => [`client ${seq}`],
    outputs: ([name]) => [`Hello, ${name}!`],
  },
};

export function workloadNamed(name) {
  const workload = WORKLOADS[name];
  if (!workload) throw new Error(`unknown workload ${name}; known: ${Object.keys(WORKLOADS).join(', ')}`);
  return workload;
}

/**
 * Checks one queue call: a successful `process_completed` whose data are the expected outputs, a `process_starts`
 * before it, and for generators every step rebuilt from the diffs. Returns an error text or null. `units` is the
 * number of result messages (generator steps + completion).
 */
export function verifyQueueTrace(workload, args, trace) {
  const completion = trace.completion;
  if (!completion) return 'no process_completed';
  if (completion.success !== true) return `failed: ${JSON.stringify(completion.output).slice(0, 200)}`;
  if (trace.startsAt === 0) return 'no process_starts before process_completed';
  const expected = workload.outputs(args);
  if (!sameJson(completion.output?.data, expected)) {
    return `wrong result ${JSON.stringify(completion.output?.data)?.slice(0, 120)}, expected ${JSON.stringify(expected)}`;
  }
  if (workload.steps) {
    const steps = workload.steps(args);
    let current;
    let index = 0;
    for (const message of trace.messages) {
      if (message.msg !== 'process_generating') continue;
      const data = message.output.data;
      // The first step carries full values; later ones carry one edit list per output (docs/protocol.md#generator-diffs).
      current = current === undefined ? data : current.map((value, output) => applyDiff(value, data[output]));
      if (!sameJson(current, steps[index])) {
        return `step ${index + 1} is ${JSON.stringify(current)}, expected ${JSON.stringify(steps[index])}`;
      }
      index++;
    }
    if (index !== steps.length) return `${index} generator steps, expected ${steps.length}`;
  }
  return null;
}

/** Checks one curl-protocol call: `generating` blocks carry full values, then `complete` carries the outputs. */
export function verifyCallEvents(workload, args, events) {
  const last = events[events.length - 1];
  if (!last) return 'empty call stream';
  if (last.event !== 'complete') return `${last.event}: ${JSON.stringify(last.data).slice(0, 200)}`;
  const expected = workload.outputs(args);
  if (!sameJson(last.data, expected))
    return `wrong result ${JSON.stringify(last.data).slice(0, 120)}, expected ${JSON.stringify(expected)}`;
  if (workload.steps) {
    const steps = workload.steps(args);
    const generating = events.filter((event) => event.event === 'generating').map((event) => event.data);
    if (!sameJson(generating, steps)) return `generator steps ${JSON.stringify(generating).slice(0, 120)} differ`;
  }
  return null;
}

/**
 * Checks an MCP `tools/call` result: not an error, and the value in its text content (or its structured content)
 * is the expected single output.
 */
export function verifyMcpResult(workload, args, result) {
  if (result?.isError) return `tool error: ${JSON.stringify(result.content).slice(0, 200)}`;
  const [expected] = workload.outputs(args);
  const values = [];
  for (const item of result?.content ?? []) {
    if (item.type === 'text') values.push(parseMaybeJson(item.text));
  }
  if (result?.structuredContent !== undefined) {
    const structured = result.structuredContent;
    values.push(structured, structured?.result, structured?.value, structured?.data?.[0]);
  }
  if (values.some((value) => sameJson(value, expected) || sameJson(value, [expected]))) return null;
  return `wrong tool result ${JSON.stringify(result).slice(0, 200)}, expected ${JSON.stringify(expected)}`;
}

function parseMaybeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function sameJson(actual, expected) {
  return JSON.stringify(actual) === JSON.stringify(expected);
}
