import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/**
 * CPU time spent by the pipeline's processes over a stretch of the run, from /proc: which
 * process a phase's events cost, and whether the machine had any left. Linux only; on
 * another system every figure is absent.
 */

/** /proc reports CPU time in clock ticks of USER_HZ, which is 100 on every Linux architecture Node runs on. */
const TICK_MS = 10;

/** utime + stime of one process in ms, or undefined when it is gone. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name, which may itself hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/** Pids of every process whose command name (`/proc/<pid>/comm`) is `comm`. */
function pidsNamed(comm: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.filter((e) => /^\d+$/.test(e) && readComm(e) === comm).map(Number);
}

function readComm(pid: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Busy and total ticks of the whole machine, from the first line of /proc/stat. */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const n = values.map(Number);
    const total = n.reduce((s, v) => s + v, 0);
    // idle and iowait are the machine's unused time.
    return { busy: total - n[3] - (n[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

export interface CpuUse {
  /** CPU ms per named group of processes over the stretch. */
  ms: Record<string, number>;
  /** Share of all cores busy (any process) over the stretch, 0..1. */
  machineBusy: number | undefined;
  cores: number;
}

/**
 * Groups are the services by pid plus every `nats-server` and every `postgres` process on
 * the machine (the bench has them to itself while it runs). A process that ends inside the
 * stretch loses its share, one that starts inside it counts from zero: Postgres backends of
 * the services' pools live through a phase.
 */
export class CpuMeter {
  private readonly start = new Map<number, number>();
  private readonly startMachine = machineTicks();

  constructor(private readonly services: () => Record<string, number | undefined>) {
    for (const [, pid] of this.pids()) {
      const ms = processCpuMs(pid);
      if (ms !== undefined) this.start.set(pid, ms);
    }
  }

  /** CPU used since the meter was made. */
  read(): CpuUse {
    const ms: Record<string, number> = {};
    for (const [group, pid] of this.pids()) {
      const now = processCpuMs(pid);
      if (now !== undefined) ms[group] = (ms[group] ?? 0) + now - (this.start.get(pid) ?? 0);
    }
    const m0 = this.startMachine;
    const m1 = machineTicks();
    const machineBusy = m0 && m1 && m1.total > m0.total ? (m1.busy - m0.busy) / (m1.total - m0.total) : undefined;
    return { ms, machineBusy, cores: cpus().length };
  }

  private pids(): [string, number][] {
    const services = Object.entries(this.services()).filter((e): e is [string, number] => e[1] !== undefined);
    return [...services, ...pidsNamed('nats-server').map((pid): [string, number] => ['nats', pid]), ...pidsNamed('postgres').map((pid): [string, number] => ['postgres', pid])];
  }
}

/** µs of CPU per item for each group and in all, rounded to 0.1. */
export function cpuPerItem(use: CpuUse, items: number): Record<string, number> {
  const per = (ms: number) => Math.round((ms * 10_000) / items) / 10;
  const out: Record<string, number> = {};
  for (const [group, ms] of Object.entries(use.ms)) out[group] = per(ms);
  out.total = per(Object.values(use.ms).reduce((s, v) => s + v, 0));
  return out;
}
