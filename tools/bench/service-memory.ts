import { readFileSync } from 'node:fs';

/** Resident set size of a process in MB, from /proc/<pid>/status (`VmRSS`); undefined when it is gone. */
export function rssMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Samples the RSS of named processes every `intervalMs` and keeps each one's highest value.
 * The pids are looked up at every sample, so a restarted service is followed.
 */
export class MemorySampler {
  readonly peakMb: Record<string, number> = {};
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly pids: () => Record<string, number | undefined>,
    private readonly intervalMs = 250,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): Record<string, number> {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return this.peakMb;
  }

  sample(): void {
    for (const [name, pid] of Object.entries(this.pids())) {
      const mb = rssMb(pid);
      if (mb !== undefined) this.peakMb[name] = Math.max(this.peakMb[name] ?? 0, mb);
    }
  }
}
