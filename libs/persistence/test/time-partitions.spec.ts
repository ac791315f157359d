import { randomUUID } from 'node:crypto';
import { databaseUrl, dropDatabase, uniqueName } from '@runtrail/testing';
import type { DataSource, EntityManager } from 'typeorm';
import {
  DB_ROLES,
  TENANT_SETTING,
  actAsProjector,
  dropPartitionsBefore,
  ensureTimePartitions,
  monthStart,
  openDatabase,
  partitionName,
  partitionsOf,
  upsertAuditEvents,
  upsertRunTimelineEntries,
  writeRows,
  type AuditEventRow,
} from '../src';
import { TimePartitions1764800000000 } from '../src/migrations/1764800000000-time-partitions';

/** The month partitions of the timeline and run tables (docs/adr/0026-time-partitions.md). */
describe('time partitions (real Postgres)', () => {
  const database = uniqueName('timeparts');
  let ds: DataSource;
  let position = 1_000;

  beforeAll(async () => {
    ds = await openDatabase({ url: databaseUrl(database), applicationName: 'timeparts-test', poolSize: 2 });
  });

  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(database);
  });

  const asProjector = <T>(work: (em: EntityManager) => Promise<T>) =>
    ds.transaction(async (em) => {
      await actAsProjector(em);
      return work(em);
    });
  const asOwner = <T>(work: (em: EntityManager) => Promise<T>) => ds.transaction((em) => work(em));
  const runnerOf = (em: EntityManager) => {
    if (!em.queryRunner) throw new Error('no query runner');
    return em.queryRunner;
  };

  const event = (tenantId: string, receivedAt: string, over: Partial<AuditEventRow> = {}): AuditEventRow => ({
    id: String(position++),
    tenantId,
    eventId: randomUUID(),
    happenedAt: receivedAt,
    action: 'Update',
    version: '1.0',
    entityType: 'Project',
    entityId: '1',
    entityName: 'team-a',
    sourceType: 'User',
    sourceId: null,
    sourceName: 'someone',
    success: true,
    context: {},
    receivedAt,
    changes: null,
    correlationId: null,
    submittedBy: { type: 'Application', id: 'k', name: 'key' },
    streamSeq: 1,
    ...over,
  });

  /** Where each of a tenant's rows of `table` is stored: partition name by id. */
  const placement = async (table: string, tenantId: string, key = 'id'): Promise<Record<string, string>> => {
    const rows: { k: string; p: string }[] = await ds.query(`SELECT ${key}::text AS k, tableoid::regclass::text AS p FROM ${table} WHERE tenant_id = $1`, [tenantId]);
    return Object.fromEntries(rows.map((r) => [r.k, r.p]));
  };

  const runsSql = (tenantId: string, receivedAt: string, n: number): [string, string[]] => [
    `INSERT INTO action_runs (tenant_id, id, workspace_name, block_name, block_version, action, status, started_at, duration_ms,
       source_type, source_name, received_at, updated_at, first_position)
     SELECT $1, gen_random_uuid(), 'ws', 'block-' || (i % 2), '1.0', 'deploy', 'successful', $2::timestamptz, i * 1000,
       'Application', 'seed', $2::timestamptz, $2::timestamptz, i
     FROM generate_series(1, ${n}) i`,
    [tenantId, receivedAt],
  ];

  it('has a partition for this month, the next two and a DEFAULT one, and files each row under the month it was received in', async () => {
    const now = new Date();
    for (const table of ['audit_events', 'action_runs', 'action_run_reports'] as const) {
      const names = (await asOwner((em) => partitionsOf(runnerOf(em), table))).map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining([0, 1, 2].map((i) => partitionName(table, monthStart(now, i))).concat(`${table}_default`)));
    }
    const tenant = randomUUID();
    const [thisMonth, nextMonth, farAway] = [now.toISOString(), monthStart(now, 1).toISOString(), '1999-12-31T23:59:59.999Z'];
    const rows = [event(tenant, thisMonth), event(tenant, nextMonth), event(tenant, farAway)];
    await asProjector((em) => writeRows(em, upsertAuditEvents, rows));
    expect(await placement('audit_events', tenant)).toEqual({
      [rows[0].id]: partitionName('audit_events', monthStart(now)),
      [rows[1].id]: partitionName('audit_events', monthStart(now, 1)),
      [rows[2].id]: 'audit_events_default',
    });

    // The upkeep gives the stray row its month and moves it there.
    const created = await asOwner((em) => ensureTimePartitions(runnerOf(em), now));
    expect(created).toEqual(['audit_events_p199912']);
    expect((await placement('audit_events', tenant))[rows[2].id]).toBe('audit_events_p199912');
    expect(await asOwner((em) => ensureTimePartitions(runnerOf(em), now))).toEqual([]);
  });

  it('stores an event re-sent with the same eventId once, whatever month each copy arrived in', async () => {
    const tenant = randomUUID();
    const first = event(tenant, '2026-03-10T10:00:00.000Z');
    await asOwner((em) => ensureTimePartitions(runnerOf(em), new Date('2026-02-01T00:00:00Z'), 3));
    await asProjector((em) => writeRows(em, upsertAuditEvents, [first]));
    // Re-sent a month later: a later stream position, so the stored copy stays.
    const resent = { ...first, id: String(position++), receivedAt: '2026-04-02T10:00:00.000Z', action: 'resent' };
    expect(await asProjector((em) => writeRows(em, upsertAuditEvents, [resent]))).toBe(0);
    // An earlier copy delivered late (an earlier position, received in February): it replaces the row, in its own month.
    const earlier = { ...first, id: '5', receivedAt: '2026-02-20T10:00:00.000Z', action: 'earliest' };
    await asProjector((em) => writeRows(em, upsertAuditEvents, [earlier]));
    const rows = await ds.query(`SELECT id::text, action, tableoid::regclass::text AS p FROM audit_events WHERE tenant_id = $1`, [tenant]);
    expect(rows).toEqual([{ id: '5', action: 'earliest', p: 'audit_events_p202602' }]);
    expect(await ds.query(`SELECT id::text, received_at FROM audit_event_keys WHERE tenant_id = $1`, [tenant])).toEqual([
      { id: '5', received_at: new Date(earlier.receivedAt) },
    ]);
  });

  it("rewrites a run's timeline entry, also into another month, and never an audit event that shares its event id", async () => {
    const tenant = randomUUID();
    const entry = event(tenant, '2026-03-31T23:59:59.000Z', { action: 'Run', entityType: 'ActionRun', entityName: 'b.deploy' });
    await asProjector((em) => writeRows(em, upsertRunTimelineEntries, [entry]));
    // The run's first report turned out to be an earlier one, received in February.
    const moved = { ...entry, id: '7', receivedAt: '2026-02-28T00:00:00.000Z', success: false };
    await asProjector((em) => writeRows(em, upsertRunTimelineEntries, [moved]));
    expect(await ds.query(`SELECT id::text, success, tableoid::regclass::text AS p FROM audit_events WHERE tenant_id = $1`, [tenant])).toEqual([
      { id: '7', success: false, p: 'audit_events_p202602' },
    ]);
    const audit = event(tenant, '2026-03-01T00:00:00.000Z');
    await asProjector((em) => writeRows(em, upsertAuditEvents, [audit]));
    await asProjector((em) => writeRows(em, upsertRunTimelineEntries, [{ ...audit, id: String(position++), action: 'Run' }]));
    expect(await ds.query(`SELECT action FROM audit_events WHERE tenant_id = $1 AND event_id = $2`, [tenant, audit.eventId])).toEqual([{ action: 'Update' }]);
  });

  it('keeps the partitions closed to the service roles: they read through the table, under its policies', async () => {
    const [mine, theirs] = [randomUUID(), randomUUID()];
    const at = new Date().toISOString();
    await asProjector((em) => writeRows(em, upsertAuditEvents, [event(mine, at), event(theirs, at)]));
    const asQuery = (sql: string) =>
      ds.transaction(async (em) => {
        await em.query(`SET LOCAL ROLE ${DB_ROLES.query}`);
        await em.query(`SELECT set_config('${TENANT_SETTING}', $1, true)`, [mine]);
        return em.query(sql);
      });
    expect(await asQuery(`SELECT DISTINCT tenant_id FROM audit_events WHERE tenant_id IN ('${mine}', '${theirs}')`)).toEqual([{ tenant_id: mine }]);
    expect(await asQuery(`SELECT count(*)::int AS n FROM audit_event_keys WHERE tenant_id = '${theirs}'`)).toEqual([{ n: 0 }]);
    for (const table of ['audit_events', 'action_runs', 'action_run_reports'] as const) {
      await expect(asQuery(`SELECT * FROM ${partitionName(table, monthStart(new Date()))}`)).rejects.toThrow(/permission denied/);
      await expect(asQuery(`SELECT * FROM ${table}_default`)).rejects.toThrow(/permission denied/);
    }
  });

  it('drops a month only when every tenant with rows in it has let it go, keeping the event keys', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await asOwner((em) => ensureTimePartitions(runnerOf(em), new Date('2025-01-01T00:00:00Z'), 2));
    const jan = '2025-01-15T00:00:00.000Z';
    const feb = '2025-02-15T00:00:00.000Z';
    const rows = [event(a, jan), event(b, jan), event(a, feb), event(b, feb)];
    await asProjector(async (em) => {
      await writeRows(em, upsertAuditEvents, rows);
      for (const [tenant, at] of [[a, jan], [b, jan], [a, feb], [b, feb]]) await em.query(...runsSql(tenant, at, 5));
    });
    // Only rows of this test's two tenants are in 2025's partitions; other tests write other months.
    const runTotals = async () =>
      ds.query(`SELECT (SELECT count(*)::int FROM action_runs) AS runs,
        (SELECT sum(runs)::int FROM action_run_stats WHERE grain = 'month' AND dimension = '') AS counted,
        (SELECT sum(runs)::int FROM action_run_deployments) AS deployed,
        (SELECT sum(finished)::int FROM action_run_durations WHERE grain = 'month' AND dimension = '') AS timed`);
    const before = (await runTotals())[0];
    expect(before.counted).toBe(before.runs);

    // Tenant b keeps everything: January stays. Only the months no tenant has rows in go (these runs have no reports).
    const marchCutoff = new Date('2025-03-01T00:00:00Z');
    const emptyOnes = await asOwner((em) => dropPartitionsBefore(runnerOf(em), new Map([[a, marchCutoff]])));
    expect(emptyOnes.map((d) => [d.partition, d.rows])).toEqual([
      ['action_run_reports_p202501', []],
      ['action_run_reports_p202502', []],
    ]);

    // Both let January go: it is dropped whole; February stays, as March's cutoff of one tenant does not free it.
    const dropped = await asOwner((em) => dropPartitionsBefore(runnerOf(em), new Map([[a, marchCutoff], [b, new Date('2025-02-01T00:00:00Z')]])));
    expect(dropped.map((d) => [d.partition, d.rows.map((r) => [r.tenantId, r.rows])])).toEqual([
      ['audit_events_p202501', [[a, 1], [b, 1]].sort((x, y) => String(x[0]).localeCompare(String(y[0])))],
      ['action_runs_p202501', [[a, 5], [b, 5]].sort((x, y) => String(x[0]).localeCompare(String(y[0])))],
    ]);
    expect(await placement('audit_events', a)).toEqual({ [rows[2].id]: 'audit_events_p202502' });
    expect(await placement('audit_events', b)).toEqual({ [rows[3].id]: 'audit_events_p202502' });
    // The keys stay: a dropped event re-sent later is still a duplicate.
    expect(await ds.query(`SELECT count(*)::int AS n FROM audit_event_keys WHERE tenant_id IN ($1, $2)`, [a, b])).toEqual([{ n: 4 }]);
    const names = (await asOwner((em) => partitionsOf(runnerOf(em), 'action_runs'))).map((p) => p.name);
    expect(names).not.toContain('action_runs_p202501');
    expect(names).toContain('action_runs_p202502');

    // The aggregates lost exactly the runs that went, by DELETE (triggers) or with the partition.
    const after = (await runTotals())[0];
    expect(after).toEqual({ runs: before.runs - 10, counted: before.runs - 10, deployed: before.deployed - 10, timed: before.timed - 10 });
  });

  it('turns existing tables into partitioned ones keeping every row, key and aggregate (the migration, down and up again)', async () => {
    const tenant = randomUUID();
    const rows = [event(tenant, '2024-05-05T00:00:00.000Z'), event(tenant, '2024-07-05T00:00:00.000Z')];
    await asProjector(async (em) => {
      await writeRows(em, upsertAuditEvents, rows);
      await em.query(...runsSql(tenant, '2024-06-06T00:00:00.000Z', 3));
    });
    const snapshot = async () => ({
      audit: await ds.query(`SELECT to_jsonb(a)::text AS r FROM audit_events a ORDER BY id`),
      runs: await ds.query(`SELECT to_jsonb(r)::text AS r FROM action_runs r ORDER BY tenant_id, id`),
      // The keys of rows: the migration makes them from the rows, and ran before retention could leave keys of removed ones (an earlier test here does).
      keys: await ds.query(`SELECT to_jsonb(k)::text AS r FROM audit_event_keys k WHERE EXISTS (SELECT 1 FROM audit_events a WHERE a.tenant_id = k.tenant_id AND a.id = k.id) ORDER BY tenant_id, event_id`),
      stats: await ds.query(`SELECT to_jsonb(s)::text AS r FROM action_run_stats s ORDER BY 1`),
    });
    const kept = await snapshot();
    const runner = ds.createQueryRunner();
    try {
      await runner.startTransaction();
      await new TimePartitions1764800000000().down(runner);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    expect(await ds.query(`SELECT relkind FROM pg_class WHERE relname = 'audit_events' AND relnamespace = 'public'::regnamespace`)).toEqual([{ relkind: 'r' }]);
    await ds.query(`DELETE FROM migrations WHERE name = 'TimePartitions1764800000000'`);
    const again = await openDatabase({ url: databaseUrl(database), applicationName: 'timeparts-test', poolSize: 1 });
    await again.destroy();
    expect(await snapshot()).toEqual(kept);
    expect(await placement('audit_events', tenant)).toEqual({ [rows[0].id]: 'audit_events_p202405', [rows[1].id]: 'audit_events_p202407' });
    expect(Object.values(await placement('action_runs', tenant))).toEqual(['action_runs_p202406', 'action_runs_p202406', 'action_runs_p202406']);
  });
});
