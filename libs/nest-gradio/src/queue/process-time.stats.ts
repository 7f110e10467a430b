interface EndpointTimes {
  jobs: number;
  jobMean: number;
  steps: number;
  stepMean: number;
}

/**
 * Running means of processing times per endpoint (docs/protocol.md#process-time): the whole job (from leaving the queue until the
 * last step; the base of `eta` and `rank_eta`) and each single call or generator step (`average_duration`).
 * Seconds, as the protocol publishes them.
 */
export class ProcessTimeStats {
  private readonly times = new Map<number, EndpointTimes>();

  /** Records one call or step; returns the endpoint's new average step time. */
  recordStep(endpointId: number, seconds: number): number {
    const times = this.get(endpointId);
    times.steps++;
    times.stepMean += (seconds - times.stepMean) / times.steps;
    return times.stepMean;
  }

  recordJob(endpointId: number, seconds: number): void {
    const times = this.get(endpointId);
    times.jobs++;
    times.jobMean += (seconds - times.jobMean) / times.jobs;
  }

  /** Mean job time, or null before the first job finished. */
  jobMean(endpointId: number): number | null {
    const times = this.times.get(endpointId);
    return times && times.jobs > 0 ? times.jobMean : null;
  }

  private get(endpointId: number): EndpointTimes {
    let times = this.times.get(endpointId);
    if (!times) {
      times = { jobs: 0, jobMean: 0, steps: 0, stepMean: 0 };
      this.times.set(endpointId, times);
    }
    return times;
  }
}
