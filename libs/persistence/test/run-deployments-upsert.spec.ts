import { databaseUrl, dropDatabase, uniqueName } from '@runtrail/testing';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../src';

const RUN = (n: number) => `0d9b1a40-0000-4000-8000-00000000000${n}`;

/**
 * One upsert statement that inserts some runs and updates others fires its UPDATE trigger
 * first and its INSERT trigger second, and the UPDATE trigger already sees the inserted
 * runs in the table. The deployments must count each run once whatever that order.
 */
describe('deployments kept through an upsert that both inserts and updates (real Postgres)', () => {
  const database = uniqueName('upsert');
  let ds: DataSource;

  beforeAll(async () => {
    ds = await openDatabase({ url: databaseUrl(database), applicationName: 'upsert-test', poolSize: 1 });
  });

  afterAll(async () => {
    await ds.destroy();
    await dropDatabase(database);
  });

  /** Runs as `(id, version, status, started_at)`, inserted, or updated where the id is there. */
  const upsert = (runs: [number, string | null, string, string][]) =>
    ds.query(
      `INSERT INTO action_runs (tenant_id, id, workspace_name, block_name, block_version, block_from, block_from_base, action, status,
         started_at, source_type, source_name, received_at, updated_at, first_position)
       SELECT 'acme', id, 'acme-dev', 'nginx', version, 'reg/nginx', 'reg/nginx', 'deploy', status, started_at, 'Application', 'ci',
         timestamptz '2026-04-01T00:00:00Z', now(), 0
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) AS r(id, version, status, started_at)
       ON CONFLICT (tenant_id, id, received_at) DO UPDATE SET block_version = EXCLUDED.block_version, status = EXCLUDED.status`,
      [runs.map(([n]) => RUN(n)), runs.map(([, v]) => v), runs.map(([, , s]) => s), runs.map(([, , , t]) => t)],
    );

  /** The deployment rows against the same figures counted from the runs themselves. */
  async function expectCountedOnce(): Promise<void> {
    const kept = await ds.query(
      `SELECT block_version, status, runs::int, last_run_id, last_started_at FROM action_run_deployments ORDER BY 1 NULLS FIRST, 2`,
    );
    const counted = await ds.query(
      `SELECT block_version, status, count(*)::int AS runs,
         (array_agg(id ORDER BY started_at DESC, id DESC))[1] AS last_run_id, max(started_at) AS last_started_at
       FROM action_runs GROUP BY 1, 2 ORDER BY 1 NULLS FIRST, 2`,
    );
    expect(kept).toEqual(counted);
  }

  it('counts a run once when the same statement moves another run out of its deployment', async () => {
    await upsert([[7, null, 'running', '2026-01-30T10:00:00Z']]);
    // Run 1 comes into (no version, running) as run 7 leaves it for version 0.3.1.
    await upsert([
      [1, null, 'running', '2026-01-30T11:00:00Z'],
      [7, '0.3.1', 'running', '2026-01-30T10:00:00Z'],
    ]);
    await expectCountedOnce();
    expect(await ds.query(`SELECT runs::int FROM action_run_deployments WHERE block_version IS NULL`)).toEqual([{ runs: 1 }]);
  });

  it('keeps the latest run of a deployment that loses one run and gains others in one statement', async () => {
    await upsert([
      [2, '1.0', 'running', '2026-01-31T08:00:00Z'],
      [3, '1.0', 'running', '2026-01-31T09:00:00Z'],
    ]);
    // Run 3 (the latest of 1.0) finishes; run 4, later still, starts on 1.0; run 5 starts on a version of its own.
    await upsert([
      [3, '1.0', 'successful', '2026-01-31T09:00:00Z'],
      [4, '1.0', 'running', '2026-01-31T12:00:00Z'],
      [5, '2.0', 'running', '2026-01-31T13:00:00Z'],
    ]);
    await expectCountedOnce();
  });

  it('makes rows counted twice before whole again (migration 1765000000000)', async () => {
    await ds.query(`UPDATE action_run_deployments SET runs = runs + 1 WHERE block_version IS NULL`);
    await ds.query(`DELETE FROM migrations WHERE name = 'DeploymentCounts1765000000000'`);
    await (await openDatabase({ url: databaseUrl(database), applicationName: 'upsert-test', poolSize: 1 })).destroy();
    await expectCountedOnce();
  });
});
