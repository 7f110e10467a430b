import type { RouteDoc } from '../http/route-doc.js';

/** `GET /metrics` in the application's OpenAPI document (see `DocumentedRoute`). */
export const METRICS_DOC: RouteDoc = {
  summary: 'Prometheus metrics',
  description: "The scrape: the queue's counters and gauges (`gradio_…`) in the registry's exposition format.",
  responses: {
    '200': {
      description: 'The metrics',
      content: {
        'text/plain': { schema: { type: 'string' } },
        'application/openmetrics-text': { schema: { type: 'string' } },
      },
    },
  },
};
