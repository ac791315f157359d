import type { Sink } from './world';

export interface SentItem {
  marker: string;
  sink?: Sink;
  /** For audit events: `eventId` (lower case); events sharing one are stored once. */
  dedupeKey?: string;
}

/** Counts of what was sent and answered, and every marker with its fate. */
export class Ledger {
  total = 0;
  readonly byStatus = new Map<string, number>();
  readonly byProperty = new Map<string, { requests: number; byStatus: Map<string, number> }>();
  /** Markers in bodies that were answered 2xx. */
  readonly accepted: SentItem[] = [];
  /** Markers in bodies that were answered anything else. */
  readonly rejected: SentItem[] = [];
  readonly failures: string[] = [];
  /** The slowest requests, to keep the suite fast. */
  readonly slowest: { ms: number; what: string }[] = [];

  timed(what: string, ms: number): void {
    this.slowest.push({ ms, what });
    this.slowest.sort((a, b) => b.ms - a.ms);
    this.slowest.length = Math.min(this.slowest.length, 5);
  }

  count(property: string, status: number | string): void {
    const key = String(status);
    this.total++;
    this.byStatus.set(key, (this.byStatus.get(key) ?? 0) + 1);
    const p = this.byProperty.get(property) ?? { requests: 0, byStatus: new Map<string, number>() };
    p.requests++;
    p.byStatus.set(key, (p.byStatus.get(key) ?? 0) + 1);
    this.byProperty.set(property, p);
  }

  record(items: SentItem[], status: number): void {
    (status >= 200 && status < 300 ? this.accepted : this.rejected).push(...items);
  }

  summary(seed: number, elapsedMs: number): string {
    const fmt = (m: Map<string, number>) =>
      [...m.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, n]) => `${k}: ${n}`)
        .join(', ');
    const lines = [
      `hostile-input suite: ${this.total} requests in ${(elapsedMs / 1000).toFixed(1)} s, seed ${seed} (rerun with HOSTILE_SEED=${seed})`,
      `  by status: ${fmt(this.byStatus)}`,
      ...[...this.byProperty.entries()].map(([name, p]) => `  ${name}: ${p.requests} requests (${fmt(p.byStatus)})`),
      `  markers: ${this.accepted.length} in accepted bodies, ${this.rejected.length} in rejected bodies`,
      `  slowest: ${this.slowest.map((s) => `${s.ms} ms ${s.what}`).join('; ')}`,
      `  failures: ${this.failures.length}`,
      ...this.failures.slice(0, 10).map((f) => `    ${f.split('\n')[0]}`),
    ];
    return lines.join('\n');
  }
}
