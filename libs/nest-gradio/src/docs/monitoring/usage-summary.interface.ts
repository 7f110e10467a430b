/**
 * Usage of one endpoint in `GET /monitoring/summary`, in Gradio's shape and key order. Times are in seconds.
 *
 * @publicApi
 */
export interface EndpointUsage {
  /** Successful share of the finished calls in the window (cancelled ones do not count); `null` before any. */
  success_rate: number | null;
  /** Percentiles of the processing time of the window's successful calls; `null` before any. */
  process_time_percentiles: { '50th': number | null; '90th': number | null; '99th': number | null };
  /** Every call that joined the queue since the app started. */
  total_requests: number;
}

/** `GET /monitoring/summary`: usage per endpoint, keyed by API name (no leading slash). @publicApi */
export interface UsageSummary {
  functions: Record<string, EndpointUsage>;
}
