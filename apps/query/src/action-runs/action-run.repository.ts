import { Injectable } from '@nestjs/common';
import type { ActionRunRecord } from '@runtrail/contracts';
import { TenantReader } from '@runtrail/persistence';
import type { CursorPosition } from '../paging/cursor-codec';
import type { KeysetSource } from '../paging/keyset-pages';
import { SqlWhere } from '../paging/sql-where';
import type { RunFilter } from './action-run-filter';
import type { STATS_GROUPS, STATS_INTERVALS } from './action-run-query.dto';

interface RunRow {
  tenant_id: string;
  id: string;
  workspace_name: string;
  workspace_organization: string | null;
  block_name: string;
  block_from: string | null;
  block_version: string | null;
  action: string;
  status: ActionRunRecord['status'];
  started_at: Date;
  finished_at: Date | null;
  duration_ms: string | null;
  exit_code: number | null;
  cli_version: string | null;
  hostname: string | null;
  os_user: string | null;
  source_type: ActionRunRecord['sourceType'];
  source_id: string | null;
  source_name: string;
  retriggered_from: string | null;
  command_id: string | null;
  received_at: Date;
  updated_at: Date;
}

export interface RunStatsBucket {
  bucketStart: string;
  group?: string | null;
  total: number;
  successful: number;
  failed: number;
  aborted: number;
  running: number;
  avgDurationMs: number | null;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
}

export interface Deployment {
  workspace: string;
  block: string;
  from: string | null;
  version: string | null;
  runs: number;
  lastRunId: string;
  lastStartedAt: string;
  lastFinishedAt: string | null;
}

const COLUMNS = `tenant_id, id, workspace_name, workspace_organization, block_name, block_from, block_version, action,
  status, started_at, finished_at, duration_ms, exit_code, cli_version, hostname, os_user, source_type, source_id,
  source_name, retriggered_from, command_id, received_at, updated_at`;

/** SQL for each `group_by`, chosen from this fixed map only (never from input). */
const GROUP_COLUMN: Record<(typeof STATS_GROUPS)[number], string> = {
  status: 'status',
  workspace: 'workspace_name',
  block: 'block_name',
  action: 'action',
  block_version: 'block_version',
};

/** The tenant condition and every filter, bound. */
function runWhere(tenantId: string | null, f: RunFilter): SqlWhere {
  return new SqlWhere()
    .eq('tenant_id', tenantId ?? undefined)
    .eq('workspace_name', f.workspace)
    .eq('workspace_organization', f.organization)
    .eq('block_name', f.block)
    .add(f.blockFrom !== undefined, (b) => {
      const v = b(f.blockFrom);
      return `(block_from = ${v} OR block_from_base = ${v})`;
    })
    .eq('block_version', f.blockVersion)
    .eq('action', f.action)
    .add(f.statuses !== undefined, (b) => `status = ANY(${b(f.statuses)}::text[])`)
    .eq('exit_code', f.exitCode)
    .eq('hostname', f.hostname)
    .eq('os_user', f.osUser)
    .eq('cli_version', f.cliVersion)
    .eq('source_name', f.sourceName)
    .add(f.retriggeredFrom !== undefined, (b) => `retriggered_from = ${b(f.retriggeredFrom)}::uuid`)
    .add(f.start !== undefined, (b) => `started_at >= ${b(f.start)}`)
    .add(f.endExclusive !== undefined, (b) => `started_at < ${b(f.endExclusive)}`);
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const num = (v: string | number | null) => (v === null ? null : Math.round(Number(v)));

function toRecord(r: RunRow): ActionRunRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    workspace: { name: r.workspace_name, organization: r.workspace_organization },
    block: { name: r.block_name, from: r.block_from, version: r.block_version },
    action: r.action,
    status: r.status,
    startedAt: r.started_at.toISOString(),
    finishedAt: iso(r.finished_at),
    durationMs: num(r.duration_ms),
    exitCode: r.exit_code,
    cliVersion: r.cli_version,
    hostname: r.hostname,
    osUser: r.os_user,
    sourceType: r.source_type,
    sourceId: r.source_id,
    sourceName: r.source_name,
    retriggeredFrom: r.retriggered_from,
    commandId: r.command_id,
    receivedAt: r.received_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * Reads action runs, always inside the caller's tenant (null: the root key). Lists
 * page by (started_at, id) on the tenant-leading indexes; stats and deployments
 * aggregate in Postgres.
 */
@Injectable()
export class ActionRunRepository implements KeysetSource<RunFilter, ActionRunRecord> {
  readonly name = 'action-runs';

  constructor(private readonly db: TenantReader) {}

  async fetch(tenantId: string | null, f: RunFilter, limit: number, offset: number, after?: CursorPosition): Promise<ActionRunRecord[]> {
    const where = runWhere(tenantId, f).add(
      after !== undefined,
      (b) => `(started_at, id) < (${b(after?.t)}::timestamptz, ${b(after?.i)}::uuid)`,
    );
    const rows: RunRow[] = await this.db.query(
      tenantId,
      `SELECT ${COLUMNS} FROM action_runs ${where}
       ORDER BY started_at DESC, id DESC LIMIT ${where.bind(limit)} OFFSET ${where.bind(offset)}`,
      where.params,
    );
    return rows.map(toRecord);
  }

  positionOf(r: ActionRunRecord): CursorPosition {
    return { t: r.startedAt, i: r.id };
  }

  async findById(tenantId: string | null, id: string): Promise<ActionRunRecord | undefined> {
    const where = new SqlWhere().eq('tenant_id', tenantId ?? undefined).add(true, (b) => `id = ${b(id)}::uuid`);
    const rows: RunRow[] = await this.db.query(tenantId, `SELECT ${COLUMNS} FROM action_runs ${where}`, where.params);
    return rows.length ? toRecord(rows[0]) : undefined;
  }

  /**
   * Counts per status and duration figures per UTC bucket (weeks start on Monday,
   * as date_trunc does), only non-empty buckets, oldest first. Durations are those of
   * finished runs.
   */
  async stats(
    tenantId: string | null,
    f: RunFilter,
    interval: (typeof STATS_INTERVALS)[number],
    groupBy?: (typeof STATS_GROUPS)[number],
  ): Promise<RunStatsBucket[]> {
    const where = runWhere(tenantId, f);
    const unit = where.bind(interval);
    const group = groupBy === undefined ? undefined : GROUP_COLUMN[groupBy];
    const finished = `status <> 'running' AND duration_ms IS NOT NULL`;
    const rows: {
      bucket: Date;
      grp?: string | null;
      total: string;
      successful: string;
      failed: string;
      aborted: string;
      running: string;
      avg: string | null;
      p50: number | null;
      p95: number | null;
    }[] = await this.db.query(
      tenantId,
      `SELECT date_trunc(${unit}, started_at, 'UTC') AS bucket,
         ${group ? `${group} AS grp,` : ''}
         count(*) AS total,
         count(*) FILTER (WHERE status = 'successful') AS successful,
         count(*) FILTER (WHERE status = 'failed') AS failed,
         count(*) FILTER (WHERE status = 'aborted') AS aborted,
         count(*) FILTER (WHERE status = 'running') AS running,
         avg(duration_ms) FILTER (WHERE ${finished}) AS avg,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE ${finished}) AS p50,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE ${finished}) AS p95
       FROM action_runs ${where}
       GROUP BY 1${group ? ', 2' : ''}
       ORDER BY 1${group ? ', 2' : ''}`,
      where.params,
    );
    return rows.map((r) => ({
      bucketStart: r.bucket.toISOString(),
      ...(group ? { group: r.grp ?? null } : {}),
      total: Number(r.total),
      successful: Number(r.successful),
      failed: Number(r.failed),
      aborted: Number(r.aborted),
      running: Number(r.running),
      avgDurationMs: num(r.avg),
      p50DurationMs: num(r.p50),
      p95DurationMs: num(r.p95),
    }));
  }
}

/**
 * "What version is deployed where": one row per workspace x block x version over the
 * matching runs, most recent first (by last finish, then last start, then the last
 * run's id), paged by keyset on that order.
 */
@Injectable()
export class DeploymentRepository implements KeysetSource<RunFilter, Deployment> {
  readonly name = 'deployments';

  constructor(private readonly db: TenantReader) {}

  async fetch(tenantId: string | null, f: RunFilter, limit: number, offset: number, after?: CursorPosition): Promise<Deployment[]> {
    const where = runWhere(tenantId, f);
    const outer = after === undefined ? '' : `WHERE (d.sort_at, d.last_run_id) < (${where.bind(after.t)}::timestamptz, ${where.bind(after.i)}::uuid)`;
    const rows: {
      workspace: string;
      block: string;
      from: string | null;
      version: string | null;
      runs: string;
      last_run_id: string;
      last_started_at: Date;
      last_finished_at: Date | null;
    }[] = await this.db.query(
      tenantId,
      `SELECT * FROM (
         SELECT workspace_name AS workspace, block_name AS block, block_version AS version,
           (array_agg(block_from ORDER BY coalesce(finished_at, started_at) DESC, id DESC))[1] AS "from",
           (array_agg(id ORDER BY coalesce(finished_at, started_at) DESC, id DESC))[1] AS last_run_id,
           count(*) AS runs,
           max(started_at) AS last_started_at,
           max(finished_at) AS last_finished_at,
           coalesce(max(finished_at), max(started_at)) AS sort_at
         FROM action_runs ${where}
         GROUP BY workspace_name, block_name, block_version
       ) d ${outer}
       ORDER BY d.sort_at DESC, d.last_run_id DESC
       LIMIT ${where.bind(limit)} OFFSET ${where.bind(offset)}`,
      where.params,
    );
    return rows.map((r) => ({
      workspace: r.workspace,
      block: r.block,
      from: r.from,
      version: r.version,
      runs: Number(r.runs),
      lastRunId: r.last_run_id,
      lastStartedAt: r.last_started_at.toISOString(),
      lastFinishedAt: iso(r.last_finished_at),
    }));
  }

  positionOf(d: Deployment): CursorPosition {
    return { t: d.lastFinishedAt ?? d.lastStartedAt, i: d.lastRunId };
  }
}
