import { Subject } from 'rxjs';
import type { Endpoint } from '../../discovery/endpoint.interface.js';
import { resolveGradioOptions } from '../../options/gradio-options.js';
import type { GradioRequest } from '../../options/event-context.interface.js';
import type { QueueLifecycleEvent, QueueService } from '../../queue/queue.service.js';
import { UsageAnalytics } from './usage-analytics.service.js';

const add = { apiName: 'add' } as Endpoint;
const fail = { apiName: 'fail' } as Endpoint;
const request = {} as GradioRequest;

function analytics(
  env: NodeJS.ProcessEnv = {},
  enableMonitoring = true,
): { usage: UsageAnalytics; events: Subject<QueueLifecycleEvent> } {
  const events = new Subject<QueueLifecycleEvent>();
  const queue = { lifecycle$: events.asObservable() } as unknown as QueueService;
  const usage = new UsageAnalytics(queue, resolveGradioOptions({ enableMonitoring }, env));
  usage.onModuleInit();
  return { usage, events };
}

/** One call through the queue: joined, started at `start` ms, finished at `end` ms (entries as the queue makes them). */
function call(usage: UsageAnalytics, endpoint: Endpoint, id: string, start: number, end: number, success = true): void {
  usage.record({ type: 'joined', eventId: id, endpoint, request });
  usage.record({ type: 'started', eventId: id, endpoint, request, waitSeconds: 0 });
  usage.record({ type: 'completed', eventId: id, endpoint, success, request, runSeconds: (end - start) / 1000 });
}

describe('UsageAnalytics', () => {
  it("summarises in Gradio's shape: success rate, processing-time percentiles in seconds, total requests", () => {
    const { usage } = analytics();
    call(usage, add, 'a1', 0, 100);
    call(usage, add, 'a2', 0, 200);
    call(usage, add, 'a3', 0, 300);
    call(usage, add, 'a4', 0, 50, false);
    const summary = usage.getSummary();
    expect(Object.keys(summary)).toEqual(['functions']);
    expect(Object.keys(summary.functions['add'] ?? {})).toEqual([
      'success_rate',
      'process_time_percentiles',
      'total_requests',
    ]);
    expect(summary.functions['add']?.success_rate).toBe(0.75);
    expect(summary.functions['add']?.total_requests).toBe(4);
    // Percentiles over the successful calls only: 0.1, 0.2, 0.3 s.
    const percentiles = summary.functions['add']?.process_time_percentiles;
    expect(percentiles?.['50th']).toBeCloseTo(0.2, 9);
    expect(percentiles?.['90th']).toBeCloseTo(0.28, 9);
    expect(percentiles?.['99th']).toBeCloseTo(0.298, 9);
  });

  it('counts calls that joined but have not finished, and leaves cancelled ones out of the success rate', () => {
    const { usage } = analytics();
    usage.record({ type: 'joined', eventId: 'w', endpoint: add, request });
    expect(usage.getSummary().functions['add']).toEqual({
      success_rate: null,
      process_time_percentiles: { '50th': null, '90th': null, '99th': null },
      total_requests: 1,
    });
    usage.record({ type: 'started', eventId: 'w', endpoint: add, request, waitSeconds: 0 });
    usage.record({ type: 'cancelled', eventId: 'w', endpoint: add, request, runSeconds: 0.01 });
    call(usage, fail, 'f', 0, 10, false);
    expect(usage.getSummary().functions['add']?.success_rate).toBeNull();
    expect(usage.getSummary().functions['fail']).toEqual({
      success_rate: 0,
      process_time_percentiles: { '50th': null, '90th': null, '99th': null },
      total_requests: 1,
    });
  });

  it('keeps only the last GRADIO_ANALYTICS_MAX_EVENTS finished calls', () => {
    const { usage } = analytics({ GRADIO_ANALYTICS_MAX_EVENTS: '3' });
    call(usage, add, 'slow', 0, 10_000);
    for (let index = 0; index < 3; index++) call(usage, add, `fast${index}`, 0, 1);
    const summary = usage.getSummary().functions['add'];
    expect(summary?.total_requests).toBe(4); // a counter, like Gradio's
    expect(summary?.process_time_percentiles['99th']).toBeCloseTo(0.001, 9); // the 10 s call left the window
    for (let index = 0; index < 1000; index++) call(usage, add, `many${index}`, 0, 1);
    expect((usage as unknown as { names: string[] }).names.length).toBe(3);
  });

  it('follows the queue lifecycle stream, and nothing when monitoring is off', () => {
    const on = analytics();
    on.events.next({ type: 'joined', eventId: 'x', endpoint: add, request });
    expect(on.usage.getSummary().functions['add']?.total_requests).toBe(1);
    const off = analytics({}, false);
    off.events.next({ type: 'joined', eventId: 'x', endpoint: add, request });
    expect(off.usage.getSummary()).toEqual({ functions: {} });
  });

  it('recomputes only after a change', () => {
    const { usage } = analytics();
    call(usage, add, 'a', 0, 5);
    const first = usage.getSummary();
    expect(usage.getSummary()).toBe(first);
    call(usage, add, 'b', 0, 5);
    expect(usage.getSummary()).not.toBe(first);
  });
});
