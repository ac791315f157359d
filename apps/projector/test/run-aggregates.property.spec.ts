import fc from 'fast-check';
import type { ActionRunReport, RunStatus } from '@runtrail/contracts';
import {
  DURATION_ALPHA,
  RUN_AGGREGATE_TABLES,
  actionRunStats,
  aggregatedDeploymentPage,
  createSchemaSql,
  aggregatedRunStats,
  deploymentPage,
  foldRunStats,
  openDatabase,
  type ReadQuery,
  type RunFilter,
  type RunStatsBucket,
  type RunStatsGroup,
  type RunStatsInterval,
} from '@runtrail/persistence';
import { loadConfig } from '@runtrail/platform';
import { databaseUrl, dropDatabase, uniqueName } from '@runtrail/testing';
import type { ConsumedMessage } from '@runtrail/messaging';
import type { DataSource } from 'typeorm';
import { ProjectorConfig } from '../src/config/projector.config';
import type { TestProjection } from './project-batch-usecase';
import { projectBatchUseCase } from './project-batch-usecase';

/**
 * The run aggregates (docs/adr/0024) that the triggers on action_runs keep in the
 * projector's batch transaction answer as the runs themselves do: random reports (runs
 * that change status, duration, workspace, block, version and action between reports,
 * repeats, several per batch, two tenants), projected batch by batch, then some runs
 * deleted by plain SQL; every stats and deployments query the aggregates can answer is
 * compared with today's query over the runs. Counts, averages and deployments exactly;
 * percentiles within the histograms' bound.
 */
const NS = 'aggr';
const CASES = Number(process.env.AGGREGATE_PROPERTY_RUNS ?? 60);
const RUN_IDS = Array.from({ length: 8 }, (_, i) => `0d9b1a40-0000-4000-8000-00000000000${i}`);
const TENANTS = ['acme', 'globex'];
const DAYS = ['2026-01-30T23:59:59.000Z', '2026-01-31T10:00:00.000Z', '2026-02-01T00:00:00.000Z', '2026-02-02T08:30:00.000Z', '2026-03-09T12:00:00.000Z'];
const WORKSPACES = ['acme-prod', 'acme-dev'];
const BLOCKS = ['nginx', 'redis'];
const VERSIONS = [null, '0.3.1', '0.4.0'];
const ACTIONS = ['deploy', 'backup'];

interface GenReport {
  run: number;
  tenant: number;
  status: RunStatus;
  day: number;
  workspace: number;
  block: number;
  version: number;
  tag: boolean;
  action: number;
  durationMs: number;
}

const reportArb: fc.Arbitrary<GenReport> = fc.record({
  run: fc.integer({ min: 0, max: RUN_IDS.length - 1 }),
  tenant: fc.integer({ min: 0, max: TENANTS.length - 1 }),
  status: fc.constantFrom<RunStatus>('running', 'successful', 'successful', 'failed', 'aborted'),
  day: fc.integer({ min: 0, max: DAYS.length - 1 }),
  workspace: fc.integer({ min: 0, max: WORKSPACES.length - 1 }),
  block: fc.integer({ min: 0, max: BLOCKS.length - 1 }),
  version: fc.integer({ min: 0, max: VERSIONS.length - 1 }),
  tag: fc.boolean(),
  action: fc.integer({ min: 0, max: ACTIONS.length - 1 }),
  durationMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 3_600_000 })),
});

function toReport(g: GenReport): ActionRunReport {
  const terminal = g.status !== 'running';
  const startedAt = DAYS[g.day];
  const version = VERSIONS[g.version];
  return {
    id: RUN_IDS[g.run],
    workspace: { name: WORKSPACES[g.workspace], organization: null },
    block: { name: BLOCKS[g.block], from: `reg/${BLOCKS[g.block]}${g.tag ? `:${version ?? 'latest'}` : ''}`, version },
    action: ACTIONS[g.action],
    status: g.status,
    startedAt,
    finishedAt: terminal ? new Date(Date.parse(startedAt) + g.durationMs).toISOString() : null,
    durationMs: terminal ? g.durationMs : null,
    exitCode: g.status === 'successful' ? 0 : terminal ? 1 : null,
    cliVersion: '0.18.3',
    hostname: null,
    osUser: null,
    retriggeredFrom: null,
    commandId: null,
  };
}

/** One message per report, in `sizes`-long batches. */
function toBatches(reports: GenReport[], sizes: number[]): ConsumedMessage[][] {
  const messages = reports.map((g, k) => ({
    seq: k + 1,
    subject: `${NS}.evt.${TENANTS[g.tenant]}.run`,
    data: Buffer.from(
      JSON.stringify({
        v: 1,
        kind: 'run',
        tenantId: TENANTS[g.tenant],
        submitter: { type: 'Application', id: 'key-1', name: 'ci' },
        receivedAt: new Date(Date.UTC(2026, 3, 1, 0, 0, k)).toISOString(),
        events: [toReport(g)],
      }),
    ),
  }));
  const batches: ConsumedMessage[][] = [];
  for (let i = 0, k = 0; i < messages.length; k++) {
    const n = sizes[k % sizes.length];
    batches.push(messages.slice(i, i + n));
    i += n;
  }
  return batches;
}

/** The stats queries the aggregates answer (and one per kind they must decline). */
const STATS_CASES: { f: RunFilter; interval: RunStatsInterval; groupBy?: RunStatsGroup }[] = [
  { f: {}, interval: 'day' },
  { f: {}, interval: 'week', groupBy: 'status' },
  { f: {}, interval: 'month' },
  { f: {}, interval: 'month', groupBy: 'block_version' },
  { f: { statuses: ['successful', 'failed'] }, interval: 'day', groupBy: 'workspace' },
  { f: { block: 'nginx' }, interval: 'month', groupBy: 'block' },
  { f: { workspace: 'acme-prod', statuses: ['successful'] }, interval: 'day', groupBy: 'status' },
  { f: { action: 'deploy' }, interval: 'week' },
  { f: { blockVersion: '0.3.1' }, interval: 'month', groupBy: 'block_version' },
  // Whole months from the month rows, the days around them from the day rows.
  { f: { start: new Date('2026-01-31T00:00:00Z'), endExclusive: new Date('2026-03-10T00:00:00Z') }, interval: 'month', groupBy: 'action' },
  { f: { start: new Date('2026-02-01T00:00:00Z') }, interval: 'month' },
  { f: { endExclusive: new Date('2026-02-02T00:00:00Z') }, interval: 'month', groupBy: 'workspace' },
  { f: { start: new Date('2026-01-31T00:00:00Z'), endExclusive: new Date('2026-02-02T00:00:00Z') }, interval: 'month' },
];

const DECLINED: { f: RunFilter; interval: RunStatsInterval; groupBy?: RunStatsGroup }[] = [
  { f: {}, interval: 'hour' },
  { f: { hostname: 'x' }, interval: 'day' },
  { f: { block: 'nginx', workspace: 'acme-prod' }, interval: 'day' },
  { f: { block: 'nginx' }, interval: 'day', groupBy: 'workspace' },
  { f: { start: new Date('2026-01-31T10:00:00Z') }, interval: 'day' },
];

const DEPLOYMENT_CASES: RunFilter[] = [
  { statuses: ['successful'] },
  { statuses: ['running', 'successful', 'failed', 'aborted'] },
  { block: 'nginx', statuses: ['successful', 'failed'] },
  { workspace: 'acme-dev', statuses: ['aborted', 'running'] },
  { blockFrom: 'reg/nginx', statuses: ['successful'] },
  { blockFrom: 'reg/redis:0.4.0', blockVersion: '0.4.0', statuses: ['successful', 'failed'] },
];

/** Counts and averages as the runs give them; percentiles within ALPHA plus the rounding of both. */
function expectStatsClose(aggregated: RunStatsBucket[], exact: RunStatsBucket[]): void {
  const strip = (b: RunStatsBucket) => ({ ...b, p50DurationMs: b.p50DurationMs === null, p95DurationMs: b.p95DurationMs === null });
  expect(aggregated.map(strip)).toEqual(exact.map(strip));
  aggregated.forEach((b, i) => {
    for (const p of ['p50DurationMs', 'p95DurationMs'] as const) {
      const want = exact[i][p];
      if (want === null) continue;
      expect(Math.abs((b[p] as number) - want)).toBeLessThanOrEqual(DURATION_ALPHA * want + 1);
    }
  });
}

describe('run aggregates kept by triggers (property, real Postgres)', () => {
  const database = uniqueName('aggr');
  let ds: DataSource;
  let useCase: TestProjection;

  beforeAll(async () => {
    ds = await openDatabase({ url: databaseUrl(database), applicationName: 'aggregates-test', poolSize: 2 });
    const config = loadConfig(ProjectorConfig, { RUNTRAIL_NAMESPACE: NS, DATABASE_URL: databaseUrl(database) });
    useCase = projectBatchUseCase(ds, config);
    // A second schema whose aggregates see the final runs in one insert, to compare with.
    for (const sql of createSchemaSql('fresh')) await ds.query(sql);
    await (await openDatabase({ url: databaseUrl(database), applicationName: 'aggregates-test', schema: 'fresh', poolSize: 1 })).destroy();
  });

  afterAll(async () => {
    await ds.destroy();
    await dropDatabase(database);
  });

  const read = async <R>(q: ReadQuery<R>): Promise<R[]> => ((await ds.query(q.text, q.values)) as Record<string, unknown>[]).map(q.decode);

  it(`answers stats and deployments as the runs do (${CASES} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(reportArb, { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
        fc.subarray(RUN_IDS),
        async (reports, sizes, deleted) => {
          await ds.query('TRUNCATE action_runs, action_run_reports, audit_events, projector_checkpoints, dead_letters, integrity_logs, integrity_entries, integrity_nodes');
          for (const batch of toBatches(reports, sizes)) await useCase.execute(batch);
          // Plain SQL deletes too (the projector never does; an operator or a test may).
          if (deleted.length > 0) await ds.query(`DELETE FROM action_runs WHERE id = ANY($1::uuid[]) AND tenant_id = 'globex'`, [deleted]);

          for (const tenant of ['acme', null]) {
            for (const c of STATS_CASES) {
              const aggregated = aggregatedRunStats(tenant, c.f, c.interval, c.groupBy);
              expect(aggregated).toBeDefined();
              const folded = foldRunStats(await read(aggregated as ReadQuery<never>));
              const exact = await read(actionRunStats(tenant, c.f, c.interval, c.groupBy));
              expectStatsClose(folded.buckets, exact);
              expect(folded.runs).toBe(exact.reduce((s, b) => s + b.total, 0));
            }
            for (const f of DEPLOYMENT_CASES) {
              const first = { limit: 3, offset: 0 };
              const all = { limit: 1000, offset: 0 };
              const want = await read(deploymentPage(tenant, f, all));
              expect(await read(aggregatedDeploymentPage(tenant, f, all) as ReadQuery<never>)).toEqual(want);
              const page = await read(aggregatedDeploymentPage(tenant, f, first) as ReadQuery<never>);
              expect(page).toEqual(want.slice(0, 3));
              if (page.length === 3) {
                const last = page[2] as { lastFinishedAt: string | null; lastStartedAt: string; lastRunId: string };
                const after = { t: last.lastFinishedAt ?? last.lastStartedAt, i: last.lastRunId };
                expect(await read(aggregatedDeploymentPage(tenant, f, { ...all, after }) as ReadQuery<never>)).toEqual(
                  await read(deploymentPage(tenant, f, { ...all, after })),
                );
              }
            }
          }
          // The kept rows equal those of the final runs inserted at once (histograms in one canonical form).
          await ds.query('TRUNCATE fresh.action_runs');
          await ds.query('INSERT INTO fresh.action_runs SELECT * FROM public.action_runs');
          for (const table of RUN_AGGREGATE_TABLES) {
            const rows = (schema: string) => ds.query(`SELECT to_jsonb(x)::text AS row FROM ${schema}.${table} x ORDER BY 1`);
            expect(await rows('public')).toEqual(await rows('fresh'));
          }
          // No row outlives its runs.
          expect(await ds.query(`SELECT count(*)::int AS n FROM action_run_stats WHERE runs <= 0`)).toEqual([{ n: 0 }]);
          expect(await ds.query(`SELECT count(*)::int AS n FROM action_run_deployments WHERE runs <= 0`)).toEqual([{ n: 0 }]);
          expect(await ds.query(`SELECT count(*)::int AS n FROM action_run_durations WHERE finished <= 0`)).toEqual([{ n: 0 }]);
        },
      ),
      { numRuns: CASES },
    );
  }, 600_000);

  it('declines what the aggregates cannot answer (those stats read the runs)', () => {
    for (const c of DECLINED) expect(aggregatedRunStats('acme', c.f, c.interval, c.groupBy)).toBeUndefined();
    expect(aggregatedDeploymentPage('acme', { hostname: 'x', statuses: ['successful'] }, { limit: 1, offset: 0 })).toBeUndefined();
  });
});
