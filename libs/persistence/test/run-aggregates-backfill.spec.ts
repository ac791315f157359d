import { databaseUrl, dropDatabase, uniqueName } from '@runtrail/testing';
import type { DataSource, MigrationInterface } from 'typeorm';
import { openDatabase } from '../src';
import { RunAggregates1764700000000 } from '../src/migrations/1764700000000-run-aggregates';
import { RunDurations1764900000000 } from '../src/migrations/1764900000000-run-durations';

/** An installation with runs before the aggregates existed gets them from the migration's backfill. */
describe('run aggregates backfill (real Postgres)', () => {
  const database = uniqueName('backfill');
  let ds: DataSource;

  beforeAll(async () => {
    ds = await openDatabase({ url: databaseUrl(database), applicationName: 'backfill-test', poolSize: 1 });
  });

  afterAll(async () => {
    await ds.destroy();
    await dropDatabase(database);
  });

  /** The migration undone, then run again (as at a start) over the runs already there. */
  async function runAgain(migration: MigrationInterface & { name: string }): Promise<void> {
    const runner = ds.createQueryRunner();
    try {
      await migration.down(runner);
    } finally {
      await runner.release();
    }
    await ds.query(`DELETE FROM migrations WHERE name = $1`, [migration.name]);
    const again = await openDatabase({ url: databaseUrl(database), applicationName: 'backfill-test', poolSize: 1 });
    await again.destroy();
  }

  const rows = async (table: string) => (await ds.query(`SELECT to_jsonb(x)::text AS row FROM ${table} x ORDER BY 1`)) as { row: string }[];

  it('backfills what the triggers would have kept, row for row', async () => {
    // Runs written in several statements, some updated and one deleted, through the triggers.
    await ds.query(`
      INSERT INTO action_runs (tenant_id, id, workspace_name, block_name, block_version, block_from, block_from_base, action, status,
        started_at, finished_at, duration_ms, source_type, source_name, received_at, updated_at, first_position)
      SELECT 't' || (i % 2), gen_random_uuid(), 'ws-' || (i % 3), 'block-' || (i % 4), CASE WHEN i % 5 = 0 THEN NULL ELSE '1.' || (i % 2) END,
        'reg/block-' || (i % 4), 'reg/block-' || (i % 4), 'deploy', CASE WHEN i % 7 = 0 THEN 'running' ELSE 'successful' END,
        timestamptz '2026-01-30T00:00:00Z' + i * interval '5 hours', NULL, CASE WHEN i % 7 = 0 THEN NULL ELSE i * 997 % 400000 END,
        'Application', 'seed', now(), now(), 0
      FROM generate_series(1, 400) i`);
    await ds.query(`UPDATE action_runs SET status = 'failed', duration_ms = 1234 WHERE status = 'running' AND started_at < '2026-02-10'`);
    await ds.query(`UPDATE action_runs SET block_version = '2.0' WHERE block_name = 'block-1' AND started_at > '2026-03-01'`);
    await ds.query(`DELETE FROM action_runs WHERE workspace_name = 'ws-2' AND block_name = 'block-3'`);
    const kept = { stats: await rows('action_run_stats'), deployments: await rows('action_run_deployments') };
    expect(kept.stats.length).toBeGreaterThan(100);

    await runAgain(new RunAggregates1764700000000());
    expect({ stats: await rows('action_run_stats'), deployments: await rows('action_run_deployments') }).toEqual(kept);
  });

  it('backfills the durations of every status as their triggers would have kept them', async () => {
    // More runs through the triggers, some finishing later, one deleted.
    await ds.query(`
      INSERT INTO action_runs (tenant_id, id, workspace_name, block_name, block_version, block_from, block_from_base, action, status,
        started_at, finished_at, duration_ms, source_type, source_name, received_at, updated_at, first_position)
      SELECT 't' || (i % 3), gen_random_uuid(), 'ws-' || (i % 2), 'block-' || (i % 5), NULL, NULL, NULL, 'deploy',
        (ARRAY['running', 'successful', 'failed', 'aborted'])[1 + i % 4], timestamptz '2026-03-30T00:00:00Z' + i * interval '7 hours', NULL,
        CASE WHEN i % 4 = 0 THEN NULL ELSE i * 7919 % 900000 END, 'Application', 'seed', now(), now(), 0
      FROM generate_series(1, 300) i`);
    await ds.query(`UPDATE action_runs SET status = 'successful', duration_ms = 4321 WHERE status = 'running' AND started_at < '2026-04-20'`);
    await ds.query(`UPDATE action_runs SET status = 'failed' WHERE status = 'successful' AND block_name = 'block-2'`);
    await ds.query(`DELETE FROM action_runs WHERE workspace_name = 'ws-1' AND block_name = 'block-4'`);
    const kept = await rows('action_run_durations');
    expect(kept.length).toBeGreaterThan(100);
    // They agree with the per-status stats: the same finished runs and durations, summed over the statuses.
    const disagreeing = await ds.query(`
      SELECT d.* FROM action_run_durations d
      FULL JOIN (SELECT tenant_id, grain, bucket, dimension, value, sum(finished) AS finished, sum(duration_sum) AS duration_sum
                 FROM action_run_stats GROUP BY 1, 2, 3, 4, 5 HAVING sum(finished) > 0) s
        ON (d.tenant_id, d.grain, d.bucket, d.dimension) = (s.tenant_id, s.grain, s.bucket, s.dimension) AND d.value IS NOT DISTINCT FROM s.value
      WHERE d.finished IS DISTINCT FROM s.finished OR d.duration_sum IS DISTINCT FROM s.duration_sum`);
    expect(disagreeing).toEqual([]);

    await runAgain(new RunDurations1764900000000());
    expect(await rows('action_run_durations')).toEqual(kept);
  });
});
