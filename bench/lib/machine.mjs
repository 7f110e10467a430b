// The machine a run happened on, for the report: cores, CPU model, memory, OS, load when the run started.
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';

export function machineInfo() {
  let cpuModel = null;
  try {
    cpuModel = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? null;
  } catch {
    // not Linux
  }
  return {
    cores: availableParallelism(),
    cpuModel,
    memoryGb: Number((totalmem() / 1024 ** 3).toFixed(1)),
    kernel: release(),
    loadAverageAtStart: loadavg().map((value) => Number(value.toFixed(2))),
  };
}
