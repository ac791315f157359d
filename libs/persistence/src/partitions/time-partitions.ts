import type { QueryRunner } from 'typeorm';
import { DB_ROLES } from '../tenancy/db-roles';
import { runChangesSql } from '../migrations/1764700000000-run-aggregates';
import { asProjector } from '../tenancy/tenant-reader';

/**
 * The tables partitioned by month of `received_at` (docs/adr/0026-time-partitions.md), so
 * that retention can drop a month instead of deleting its rows one by one. Names from
 * code, never input: they are spliced into SQL.
 */
export const TIME_PARTITIONED_TABLES = ['audit_events', 'action_runs', 'action_run_reports'] as const;
export type TimePartitionedTable = (typeof TIME_PARTITIONED_TABLES)[number];

/** How many months after the current one the projector keeps ready. */
export const MONTHS_AHEAD = 2;

/** Serialises the partition upkeep of several projector replicas (and of a migration) per schema. */
const PARTITION_LOCK = 7_242_025;

/** The first instant of the UTC month of `at`, plus `add` months. */
export function monthStart(at: Date, add = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + add, 1));
}

/** `audit_events_p202611`: the partition of `table` holding the UTC month starting at `month`. */
export function partitionName(table: TimePartitionedTable, month: Date): string {
  return `${table}_p${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The partition that takes what no month partition covers, so that an insert never fails. */
export function defaultPartitionName(table: TimePartitionedTable): string {
  return `${table}_default`;
}

const literal = (at: Date) => `'${at.toISOString()}'`;

/** What the partition upkeep needs of a connection: TypeORM's `QueryRunner` has it (rows back as an array). */
export interface SqlRows {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, params?: unknown[]): Promise<any>;
}

/**
 * Makes sure each time-partitioned table has a partition for the month of `now` and the
 * `monthsAhead` months after it (from the month of `since` on, when given: a bulk load of
 * past months), and one for every month that rows in its DEFAULT partition belong to (those
 * rows are moved into it). Runs as the tables' owner, inside the caller's
 * transaction; the partitions are in the schema the tables are (`search_path`).
 *
 * A month partition is made beside the table and attached, not made with `PARTITION OF`:
 * attaching takes SHARE UPDATE EXCLUSIVE on the table, which inserts and reads pass, where
 * `CREATE TABLE … PARTITION OF` takes ACCESS EXCLUSIVE and would stop every query while it
 * waits (PostgreSQL 15, 5.11.2.2 "Partition Maintenance"). Postgres refuses to attach a
 * range while the DEFAULT partition holds rows of it, so they move first, with writes to the
 * DEFAULT partition held off meanwhile.
 */
export async function ensureTimePartitions(runner: SqlRows, now: Date, monthsAhead = MONTHS_AHEAD, since: Date = now): Promise<string[]> {
  await runner.query(`SELECT pg_advisory_xact_lock(${PARTITION_LOCK}, hashtext(current_schema()))`);
  const created: string[] = [];
  for (const table of TIME_PARTITIONED_TABLES) {
    const wanted = new Map<string, Date>();
    for (let m = monthStart(since); m <= monthStart(now, monthsAhead); m = monthStart(m, 1)) wanted.set(m.toISOString(), m);
    const stray: { month: Date }[] = await runner.query(
      `SELECT DISTINCT date_trunc('month', received_at, 'UTC') AS month FROM "${defaultPartitionName(table)}"`,
    );
    for (const { month } of stray) wanted.set(new Date(month).toISOString(), new Date(month));
    const existing = new Set(await partitionsOf(runner, table).then((ps) => ps.map((p) => p.name)));
    for (const month of [...wanted.values()].sort((a, b) => a.getTime() - b.getTime())) {
      const name = partitionName(table, month);
      if (existing.has(name)) continue;
      await addMonthPartition(runner, table, month);
      created.push(name);
    }
  }
  return created;
}

async function addMonthPartition(runner: SqlRows, table: TimePartitionedTable, month: Date): Promise<void> {
  const name = partitionName(table, month);
  const from = literal(month);
  const to = literal(monthStart(month, 1));
  const dflt = `"${defaultPartitionName(table)}"`;
  await runner.query(`CREATE TABLE "${name}" (LIKE "${table}" INCLUDING DEFAULTS)`);
  // The table first, then its DEFAULT partition: an insert takes them in that order too.
  await runner.query(`LOCK TABLE "${table}" IN SHARE UPDATE EXCLUSIVE MODE`);
  await runner.query(`LOCK TABLE ${dflt} IN EXCLUSIVE MODE`);
  await runner.query(`
    WITH moved AS (DELETE FROM ${dflt} WHERE received_at >= ${from} AND received_at < ${to} RETURNING *)
    INSERT INTO "${name}" SELECT * FROM moved`);
  await runner.query(`ALTER TABLE "${table}" ATTACH PARTITION "${name}" FOR VALUES FROM (${from}) TO (${to})`);
}

/** One partition of a time-partitioned table: its name and the range of `received_at` it holds (null bounds: the DEFAULT partition). */
export interface TimePartition {
  name: string;
  from: Date | null;
  to: Date | null;
}

/** The partitions of `table` in the current schema, oldest first, the DEFAULT partition last. */
export async function partitionsOf(runner: SqlRows, table: TimePartitionedTable): Promise<TimePartition[]> {
  const rows: { name: string; bound: string }[] = await runner.query(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = format('%I.%I', current_schema(), $1::text)::regclass`,
    [table],
  );
  const parsed = rows.map(({ name, bound }) => {
    const range = /FROM \('([^']+)'\) TO \('([^']+)'\)/.exec(bound);
    return { name, from: range ? new Date(range[1]) : null, to: range ? new Date(range[2]) : null };
  });
  return parsed.sort((a, b) => (a.from?.getTime() ?? Infinity) - (b.from?.getTime() ?? Infinity));
}

/** Rows one tenant lost in one table. */
export interface RemovedRows {
  table: TimePartitionedTable;
  tenantId: string;
  rows: number;
}

/** A month partition dropped whole, with the rows each tenant had in it. */
export interface DroppedPartition {
  table: TimePartitionedTable;
  partition: string;
  from: Date;
  to: Date;
  rows: RemovedRows[];
}

/**
 * Drops every month partition whose whole range lies before the retention cutoff of every
 * tenant that has rows in it (`cutoffs`: each tenant's "remove what was received before",
 * a tenant absent keeps everything, as `days: 0` or a legal hold do). A partition is shared
 * by all tenants, so one tenant that keeps its rows keeps the partition, and its other
 * tenants' rows go by DELETE instead (retention/log-prefix-removal.ts); a partition emptied
 * that way is dropped here.
 *
 * The runs' share of the run aggregates is taken out first (dropping a partition fires no
 * trigger). The event-id keys of the audit rows stay (`audit_event_keys`): a removed event
 * re-sent later is still a duplicate, as its entry is still in the integrity log.
 *
 * Runs as the tables' owner (only the owner may detach and drop), inside the caller's
 * transaction; the aggregate and key updates run as the projector role, under row-level
 * security like every other write of tenant rows. Answers what it dropped.
 */
export async function dropPartitionsBefore(runner: QueryRunner, cutoffs: ReadonlyMap<string, Date>): Promise<DroppedPartition[]> {
  await runner.query(`SELECT pg_advisory_xact_lock(${PARTITION_LOCK}, hashtext(current_schema()))`);
  const latest = Math.max(-Infinity, ...[...cutoffs.values()].map((c) => c.getTime()));
  const dropped: DroppedPartition[] = [];
  for (const table of TIME_PARTITIONED_TABLES) {
    for (const p of await partitionsOf(runner, table)) {
      if (p.from === null || p.to === null || p.to.getTime() > latest) continue;
      // The owner reads a partition directly: partitions carry no policies and no grants to the service roles.
      const counts: { tenant_id: string; rows: string }[] = await runner.query(
        `SELECT tenant_id, count(*) AS rows FROM "${p.name}" GROUP BY tenant_id ORDER BY tenant_id`,
      );
      const to = p.to;
      if (!counts.every((c) => (cutoffs.get(c.tenant_id)?.getTime() ?? -Infinity) >= to.getTime())) continue;
      await runner.query(`ALTER TABLE "${table}" DETACH PARTITION "${p.name}"`);
      await withdraw(runner, table, p.name);
      await runner.query(`DROP TABLE "${p.name}"`);
      dropped.push({ table, partition: p.name, from: p.from, to, rows: counts.map((c) => ({ table, tenantId: c.tenant_id, rows: Number(c.rows) })) });
    }
  }
  return dropped;
}

/** Takes the runs of a detached partition of `action_runs` out of the run aggregates, as a DELETE of them would have (migrations 1764700000000, 1764900000000). */
async function withdraw(runner: QueryRunner, table: TimePartitionedTable, detached: string): Promise<void> {
  if (table !== 'action_runs') return;
  await runner.query(`GRANT SELECT ON "${detached}" TO ${DB_ROLES.projector}`);
  await asProjector(runner, async () => {
    for (const apply of ['runtrail_apply_run_changes', 'runtrail_apply_run_durations']) {
      await runner.query(`SELECT public.${apply}(current_schema(), ARRAY(${runChangesSql(`"${detached}"`, -1)}))`);
    }
  });
}
