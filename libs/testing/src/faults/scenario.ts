import type { TestStack } from '../test-stack';
import { classify, type Classification, type SubmittedEvent } from './classify';
import { FaultLoad } from './load';
import { pause, projectorCaughtUp } from './observe';

export interface ScenarioResult extends Classification {
  scenario: string;
  submitted: number;
}

/** Audit events and action runs a fault submitted itself. */
export interface InjectedEvents {
  audit?: SubmittedEvent[];
  runs?: SubmittedEvent[];
}

export interface ScenarioOptions {
  name: string;
  stack: TestStack;
  tenants: number;
  /**
   * Injects the faults while the load runs; resolves when the system is whole again, with
   * the events it submitted itself (probes of what the gateway answers), to classify with
   * the load's. It throws when the system did not behave as the fault expects. It may pause
   * and resume the load.
   */
  inject(stack: TestStack, load: FaultLoad): Promise<InjectedEvents | void>;
  clients?: number;
  batch?: number;
}

/**
 * One fault scenario: load from several tenants, the faults, then every submitted event
 * classified against the tables readers see once the projector has caught up.
 */
export async function runScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  const keys = await Promise.all(Array.from({ length: o.tenants }, (_, i) => o.stack.createKey(`faults-${i}`, ['events:write'], 'load')));
  const load = new FaultLoad({ ingestUrl: o.stack.ingestUrl, keys, clients: o.clients ?? 4, batch: o.batch ?? 20 });
  load.start();
  let injected: InjectedEvents = {};
  try {
    injected = (await o.inject(o.stack, load)) ?? {};
  } finally {
    await load.stop();
  }
  const audit = [...load.submitted('audit'), ...(injected.audit ?? [])];
  const runs = [...load.submitted('run'), ...(injected.runs ?? [])];
  await projectorCaughtUp(o.stack, 120_000);
  const rows = await stored(o.stack, audit.map((e) => e.id), runs.map((e) => e.id));
  const c = classify([...audit, ...runs], rows);
  return { scenario: o.name, submitted: audit.length + runs.length, ...c };
}

/**
 * Rows per id that are in the tables readers see and in the tenant's integrity log: audit
 * events by event id (each with its own log entry), runs by run id (reports merged into one
 * run, with an entry for its reports). A row missing from the log counts as not stored.
 */
async function stored(stack: TestStack, eventIds: string[], runIds: string[]): Promise<Map<string, number>> {
  const rows = new Map<string, number>();
  const add = (list: { id: string; n: string }[]) => list.forEach((r) => rows.set(r.id, (rows.get(r.id) ?? 0) + Number(r.n)));
  add(
    await stack.query(
      `SELECT e.event_id::text AS id, count(*)::text AS n FROM audit_events e
         JOIN integrity_entries i ON i.tenant_id = e.tenant_id AND i.entry_id = e.event_id
        WHERE e.event_id = ANY($1::uuid[]) GROUP BY e.event_id`,
      [eventIds],
    ),
  );
  add(
    await stack.query(
      `SELECT r.id::text AS id, count(*)::text AS n FROM action_runs r
        WHERE r.id = ANY($1::uuid[]) AND EXISTS (SELECT 1 FROM integrity_entries i WHERE i.tenant_id = r.tenant_id AND i.ref = r.id::text)
        GROUP BY r.id`,
      [runIds],
    ),
  );
  return rows;
}

/**
 * A fault: SIGKILL a service `times` times, restarting it each time, with `everyMs` of load
 * before each kill and after the last (the pauses are the scenario's length, not waits for a
 * condition).
 */
export function killRepeatedly(service: 'projector' | 'ingest', times: number, everyMs: number): (stack: TestStack) => Promise<void> {
  return async (stack) => {
    for (let i = 0; i < times; i++) {
      await pause(everyMs);
      await stack.stack.services[service].stop('SIGKILL');
      stack.stack.services[service].start();
      await stack.stack.services[service].waitReady(60_000);
    }
    await pause(everyMs);
  };
}

/** The classification table, one row per scenario. */
export function faultTable(results: ScenarioResult[]): string {
  const head = ['scenario', 'submitted', 'ok', 'lost', 'duplicated', 'unknown', 'unexpected'];
  const rows = results.map((r) => [r.scenario, r.submitted, r.ok, r.lost, r.duplicated, r.unknown, r.unexpected].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
