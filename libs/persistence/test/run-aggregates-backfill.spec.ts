import { databaseUrl, dropDatabase, uniqueName } from '@runtrail/testing';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../src';
import { RunAggregates1764700000000 } from '../src/migrations/1764700000000-run-aggregates';

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

    // The migration undone and run again over the same runs.
    const runner = ds.createQueryRunner();
    try {
      await new RunAggregates1764700000000().down(runner);
    } finally {
      await runner.release();
    }
    await ds.query(`DELETE FROM migrations WHERE name = 'RunAggregates1764700000000'`);
    const again = await openDatabase({ url: databaseUrl(database), applicationName: 'backfill-test', poolSize: 1 });
    await again.destroy();
    expect({ stats: await rows('action_run_stats'), deployments: await rows('action_run_deployments') }).toEqual(kept);
  });
});
