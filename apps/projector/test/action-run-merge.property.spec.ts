import fc from 'fast-check';
import { TERMINAL_STATUSES, type ActionRunReport, type RunStatus } from '@runtrail/contracts';
import { openDatabase } from '@runtrail/persistence';
import { loadConfig } from '@runtrail/platform';
import { databaseUrl, dropDatabase, uniqueName } from '@runtrail/testing';
import type { DataSource } from 'typeorm';
import { ProjectorConfig } from '../src/config/projector.config';
import type { ConsumedMessage } from '@runtrail/messaging';
import type { TestProjection } from './project-batch-usecase';
import { projectBatchUseCase } from './project-batch-usecase';

const NS = 'merge';
const RUN_IDS = ['0d9b1a40-0000-4000-8000-000000000001', '0d9b1a40-0000-4000-8000-000000000002', '0d9b1a40-0000-4000-8000-000000000003'];
const CASES = Number(process.env.MERGE_PROPERTY_RUNS ?? 300);

interface GenReport {
  run: number;
  status: RunStatus;
  hostname: string | null;
  osUser: string | null;
  exitCode: number;
  /** Absent: a report stored before correlation ids existed. */
  correlationId: string | null | undefined;
}

const reportArb: fc.Arbitrary<GenReport> = fc.record({
  run: fc.integer({ min: 0, max: RUN_IDS.length - 1 }),
  status: fc.constantFrom<RunStatus>('running', 'running', 'successful', 'failed', 'aborted'),
  hostname: fc.constantFrom(null, 'laptop-max', 'gitlab-runner-42'),
  osUser: fc.constantFrom(null, 'max', 'gitlab-runner'),
  exitCode: fc.integer({ min: 1, max: 3 }),
  correlationId: fc.constantFrom(undefined, null, 'pipeline-1', 'pipeline-2'),
});

function toReport(g: GenReport, n: number): ActionRunReport {
  const terminal = g.status !== 'running';
  return {
    id: RUN_IDS[g.run],
    workspace: { name: 'acme-prod', organization: null },
    block: { name: 'nginx', from: 'reg/nginx:0.3.1', version: '0.3.1' },
    action: 'deploy',
    status: g.status,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: terminal ? new Date(Date.UTC(2026, 0, 1, 0, 1, n)).toISOString() : null,
    durationMs: terminal ? 60_000 + n * 1000 : null,
    exitCode: g.status === 'successful' ? 0 : g.status === 'failed' ? g.exitCode : null,
    cliVersion: '0.18.3',
    hostname: g.hostname,
    osUser: g.osUser,
    retriggeredFrom: null,
    commandId: null,
    ...(g.correlationId === undefined ? {} : { correlationId: g.correlationId }),
  };
}

/** The stream: reports grouped into messages of 1 to 3, with sequences 1..n. */
function toMessages(reports: GenReport[], sizes: number[]): ConsumedMessage[] {
  const messages: ConsumedMessage[] = [];
  let i = 0;
  for (let k = 0; i < reports.length; k++) {
    const size = Math.min(sizes[k % sizes.length], reports.length - i);
    const events = reports.slice(i, i + size).map((g, j) => toReport(g, i + j));
    i += size;
    const envelope = {
      v: 1,
      kind: 'run',
      tenantId: 'acme',
      submitter: { type: 'Application', id: `key-${k % 2}`, name: `ci-${k % 2}` },
      // Across a month's end: a run's reports, and the run itself, can be filed under different months (ADR 0026).
      receivedAt: new Date(Date.UTC(2026, 0, 31, 23, 59, 58 + k)).toISOString(),
      events,
    };
    messages.push({ seq: k + 1, subject: `${NS}.evt.acme.run`, data: Buffer.from(JSON.stringify(envelope)) });
  }
  return messages;
}

describe('action-run merge (property, real Postgres)', () => {
  const database = uniqueName('merge');
  let ds: DataSource;
  let useCase: TestProjection;

  beforeAll(async () => {
    ds = await openDatabase({ url: databaseUrl(database), applicationName: 'merge-test', poolSize: 2 });
    const config = loadConfig(ProjectorConfig, { RUNTRAIL_NAMESPACE: NS, DATABASE_URL: databaseUrl(database) });
    useCase = projectBatchUseCase(ds, config);
  });

  afterAll(async () => {
    await ds.destroy();
    await dropDatabase(database);
  });

  async function project(batches: ConsumedMessage[][]) {
    // DELETE, not TRUNCATE: a case leaves a few rows, and truncating the partitioned tables
    // (every partition and its indexes get new files) costs about three times as long, 600 times.
    for (const table of ['action_runs', 'action_run_reports', 'audit_events', 'audit_event_keys', 'projector_checkpoints', 'dead_letters', 'integrity_logs', 'integrity_entries', 'integrity_nodes']) {
      await ds.query(`DELETE FROM ${table}`);
    }
    for (const batch of batches) await useCase.execute(batch);
    const runs = await ds.query(`SELECT * FROM action_runs ORDER BY id`);
    const timeline = await ds.query(
      `SELECT id, event_id, entity_id, entity_name, success, source_name, context, happened_at, correlation_id FROM audit_events ORDER BY id`,
    );
    return { runs, timeline };
  }

  it(`gives the same tables whatever the delivery order, batching and repeats (${CASES} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(reportArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 5 }),
        fc.infiniteStream(fc.integer({ min: 1, max: 2 })),
        fc.infiniteStream(fc.integer({ min: 1, max: 4 })),
        fc.infiniteStream(fc.nat()),
        async (reports, sizes, repeats, batchSizes, shuffleKeys) => {
          const stream = toMessages(reports, sizes);
          // canonical: the stream once, in order, one message per batch
          const canonical = await project(stream.map((m) => [m]));

          // delivered: every message once or twice, shuffled, cut into batches
          const deliveries = stream.flatMap((m) => Array.from({ length: repeats.next().value }, () => m));
          const keyed = deliveries.map((m) => ({ m, k: shuffleKeys.next().value })).sort((a, b) => a.k - b.k);
          const batches: ConsumedMessage[][] = [];
          for (let i = 0; i < keyed.length; ) {
            const n = batchSizes.next().value;
            batches.push(keyed.slice(i, i + n).map((x) => x.m));
            i += n;
          }
          const delivered = await project(batches);
          expect(delivered).toEqual(canonical);

          // and the canonical tables follow the merge rules, read off the stream in order
          const touched = new Set(reports.map((r) => RUN_IDS[r.run]));
          expect(canonical.runs).toHaveLength(touched.size);
          expect(canonical.timeline).toHaveLength(touched.size);
          for (const row of canonical.runs as { id: string; status: RunStatus; correlation_id: string | null }[]) {
            const own = reports.filter((r) => RUN_IDS[r.run] === row.id);
            const firstTerminal = own.find((r) => TERMINAL_STATUSES.includes(r.status));
            expect(row.status).toBe(firstTerminal?.status ?? 'running');
            // Like every field: the first terminal report's correlation id, else the first one given
            // before it; nothing after the run ended counts.
            const takenIn = firstTerminal ? own.slice(0, own.indexOf(firstTerminal) + 1) : own;
            const firstGiven = takenIn.find((r) => typeof r.correlationId === 'string')?.correlationId ?? null;
            expect(row.correlation_id).toBe(firstTerminal?.correlationId ?? firstGiven);
            const entry = (canonical.timeline as { entity_id: string; success: boolean; correlation_id: string | null }[]).find(
              (e) => e.entity_id === row.id,
            );
            expect(entry?.success).toBe(row.status === 'successful');
            expect(entry?.correlation_id).toBe(row.correlation_id);
          }
        },
      ),
      { numRuns: CASES },
    );
  }, 300_000);
});
