// One load test against one server: a workload over one protocol (queue, curl-style call, or MCP), closed or open
// loop, every answer verified. Used by the CLI (bench/load.mjs) and the suite (bench/run.mjs).
import { callOnce } from './call-client.mjs';
import { closedLoop, openLoop } from './load-runner.mjs';
import { McpSession } from './mcp-client.mjs';
import { createPools, fnIndexOf, QueueSession } from './queue-client.mjs';
import { verifyCallEvents, verifyMcpResult, verifyQueueTrace, workloadNamed } from './workloads.mjs';

/**
 * @param {object} options
 * @param {string} options.url            server base URL
 * @param {string} [options.workload]     add | count | slow_echo | hello
 * @param {string} [options.protocol]     queue | call | mcp
 * @param {string} [options.mode]         closed | open
 * @param {number} [options.concurrency]  closed: workers (= virtual clients); open: virtual clients
 * @param {number} [options.rate]         open: calls per second
 * @param {number} [options.durationS]    measured seconds
 * @param {number} [options.warmupS]      unmeasured seconds first
 * @param {number} [options.sessionCalls] queue: a client starts a new session after this many calls
 * @param {object} [options.hooks]        windowStart/windowEnd callbacks (server CPU, …)
 */
export async function runLoad(options) {
  const {
    url,
    workload: workloadName = 'add',
    protocol = 'queue',
    mode = 'closed',
    concurrency = 16,
    rate = 100,
    durationS = 5,
    warmupS = 1,
    sessionCalls = Infinity,
    mcpPath = '/gradio_api/mcp/',
    hooks,
  } = options;
  const workload = workloadNamed(workloadName);
  const argOptions = { n: options.n, seconds: options.seconds };
  const clients = Math.max(1, concurrency);
  const pools = createPools(url, { requestConnections: Math.min(Math.max(clients, 4), 512) });
  try {
    const operation = await makeOperation({ pools, protocol, workload, argOptions, clients, sessionCalls, mcpPath });
    const timing = { warmupMs: warmupS * 1000, durationMs: durationS * 1000, hooks };
    const result =
      mode === 'open'
        ? await openLoop({ rate, maxInFlight: Math.max(64, rate * 10), operation: operation.call, ...timing })
        : await closedLoop({ concurrency: clients, operation: operation.call, ...timing });
    return { workload: workloadName, protocol, clients, ...result, ...operation.stats() };
  } finally {
    await pools.close();
  }
}

async function makeOperation({ pools, protocol, workload, argOptions, clients, sessionCalls, mcpPath }) {
  if (protocol === 'queue') return queueOperation(pools, workload, argOptions, clients, sessionCalls);
  if (protocol === 'call') return callOperation(pools, workload, argOptions);
  if (protocol === 'mcp') return mcpOperation(pools, workload, argOptions, clients, mcpPath);
  throw new Error(`unknown protocol ${protocol}; use queue, call or mcp`);
}

/** Virtual clients of the queue protocol; a call goes to client `worker % clients`. */
async function queueOperation(pools, workload, argOptions, clients, sessionCalls) {
  const fnIndex = await fnIndexOf(pools, workload.api);
  const sessions = Array.from({ length: clients }, () => ({ session: new QueueSession(pools), calls: 0 }));
  const retired = { streamsOpened: 0, reopens: 0, messages: 0 };
  let submitted = 0;
  return {
    async call(worker, seq) {
      const slot = sessions[worker % clients];
      if (slot.calls >= sessionCalls) {
        // The old session's stream closes by itself once idle; this client carries on under a new session.
        retired.streamsOpened += slot.session.streamsOpened;
        retired.reopens += slot.session.reopens;
        retired.messages += slot.session.messagesReceived;
        slot.session = new QueueSession(pools);
        slot.calls = 0;
      }
      slot.calls++;
      submitted++;
      const args = workload.args(seq, argOptions);
      const trace = await slot.session.submit(fnIndex, args).done;
      const error = verifyQueueTrace(workload, args, trace);
      if (error) return { error };
      const units = trace.messages.filter((message) => message.msg === 'process_generating').length + 1;
      return { completedAt: trace.completedAt, units, dispatchMs: trace.startsAt - trace.sentAt };
    },
    stats() {
      const live = sessions.map((slot) => slot.session);
      const messages = retired.messages + live.reduce((sum, session) => sum + session.messagesReceived, 0);
      return {
        sessions: live.length,
        messagesPerCall: Number((messages / Math.max(1, submitted)).toFixed(1)),
        streamsOpened: retired.streamsOpened + live.reduce((sum, session) => sum + session.streamsOpened, 0),
        streamReopens: retired.reopens + live.reduce((sum, session) => sum + session.reopens, 0),
      };
    },
  };
}

function callOperation(pools, workload, argOptions) {
  return {
    async call(_worker, seq) {
      const args = workload.args(seq, argOptions);
      const { completedAt, events } = await callOnce(pools, workload.api, args);
      const error = verifyCallEvents(workload, args, events);
      if (error) return { error };
      return { completedAt, units: events.length };
    },
    stats: () => ({}),
  };
}

/** One MCP session per virtual client, opened before the clock starts; each call is a `tools/call`. */
async function mcpOperation(pools, workload, argOptions, clients, mcpPath) {
  if (!workload.mcpArguments) throw new Error(`workload ${workload.api} has no MCP form`);
  const sessions = await Promise.all(
    Array.from({ length: clients }, async () => {
      const session = new McpSession(pools, mcpPath);
      await session.initialize();
      return session;
    }),
  );
  const tools = await sessions[0].listTools();
  // Gradio may prefix tool names; take the tool named after the endpoint.
  const tool =
    tools.find((candidate) => candidate.name === workload.api) ??
    tools.find((candidate) => candidate.name.endsWith(`_${workload.api}`));
  if (!tool)
    throw new Error(`no MCP tool for ${workload.api} among ${tools.map((candidate) => candidate.name).join(', ')}`);
  return {
    async call(worker, seq) {
      const args = workload.args(seq, argOptions);
      const result = await sessions[worker % clients].callTool(tool.name, workload.mcpArguments(args));
      const completedAt = performance.now();
      const error = verifyMcpResult(workload, args, result);
      if (error) return { error };
      return { completedAt };
    },
    stats: () => ({ mcpTool: tool.name }),
  };
}

/** Whether a server answers MCP at `mcpPath` (an `initialize` that succeeds). Returns a reason when it does not. */
export async function probeMcp(url, mcpPath = '/gradio_api/mcp/') {
  const pools = createPools(url, { requestConnections: 1 });
  try {
    const session = new McpSession(pools, mcpPath);
    await session.initialize();
    const tools = await session.listTools();
    return { available: true, tools: tools.map((tool) => tool.name) };
  } catch (error) {
    return { available: false, reason: String(error?.message ?? error) };
  } finally {
    await pools.close();
  }
}
