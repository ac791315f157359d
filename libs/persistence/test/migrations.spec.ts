import { databaseUrl, dropDatabase, uniqueName } from '@runtrail/testing';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../src';

describe('database bootstrap (real Postgres)', () => {
  const database = uniqueName('persist');
  const opened: DataSource[] = [];

  afterAll(async () => {
    await Promise.all(opened.map((ds) => ds.destroy()));
    await dropDatabase(database);
  });

  it('creates the database and migrates it, even with several processes starting at once', async () => {
    const url = databaseUrl(database);
    // Three "replicas" race to create the database and run migrations under the advisory lock.
    opened.push(
      ...(await Promise.all([1, 2, 3].map((n) => openDatabase({ url, applicationName: `test-${n}`, poolSize: 2 })))),
    );
    const rows: { name: string }[] = await opened[0].query(`SELECT name FROM migrations ORDER BY id`);
    expect(rows.map((r) => r.name)).toEqual(opened[0].migrations.map((m) => m.name));
    const tables: { tablename: string }[] = await opened[0].query(
      // Partitions apart: their names follow the month (time-partitions.spec.ts looks at them).
      `SELECT relname AS tablename FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND NOT relispartition ORDER BY relname`,
    );
    expect(tables.map((t) => t.tablename)).toEqual([
      'action_run_deployments',
      'action_run_durations',
      'action_run_reports',
      'action_run_stats',
      'action_runs',
      'audit_event_keys',
      'audit_events',
      'commands',
      'dead_letters',
      'erased_values',
      'integrity_checkpoints',
      'integrity_entries',
      'integrity_logs',
      'integrity_nodes',
      'integrity_removals',
      'migrations',
      'projector_checkpoints',
      'schedules',
    ]);
  });

  it('has migrations that match the entities exactly (no drift)', async () => {
    const pending = await opened[0].driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('is idempotent on a second start', async () => {
    const again = await openDatabase({ url: databaseUrl(database), applicationName: 'test-again', poolSize: 1 });
    opened.push(again);
    expect(await again.showMigrations()).toBe(false);
  });
});
