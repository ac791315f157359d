import type { ActionRunReport, Principal } from '@runtrail/contracts';

/** Stores each report once, keyed by its stream position. */
export const INSERT_RUN_REPORTS_SQL = `
  INSERT INTO action_run_reports (tenant_id, run_id, position, report, submitted_by, received_at)
  SELECT * FROM unnest($1::text[], $2::uuid[], $3::bigint[], $4::jsonb[], $5::jsonb[], $6::timestamptz[])
  ON CONFLICT DO NOTHING`;

/** Every stored report of the given runs, in stream order. */
export const SELECT_RUN_REPORTS_SQL = `
  SELECT r.tenant_id, r.run_id, r.position, r.report, r.submitted_by, r.received_at
  FROM action_run_reports r
  JOIN unnest($1::text[], $2::uuid[]) AS k(tenant_id, run_id) ON r.tenant_id = k.tenant_id AND r.run_id = k.run_id
  ORDER BY r.tenant_id, r.run_id, r.position`;

/** One row of `action_runs`. */
export interface ActionRunRow {
  tenantId: string;
  run: ActionRunReport;
  blockFromBase: string | null;
  source: Principal;
  receivedAt: string;
  updatedAt: string;
  firstPosition: string;
}

/** Writes folded runs; a folded run is complete, so every column is replaced. */
export const UPSERT_ACTION_RUNS_SQL = `
  INSERT INTO action_runs (tenant_id, id, workspace_name, workspace_organization, block_name, block_from,
    block_from_base, block_version, action, status, started_at, finished_at, duration_ms, exit_code, cli_version,
    hostname, os_user, source_type, source_id, source_name, retriggered_from, command_id, received_at, updated_at,
    first_position)
  SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::timestamptz[], $13::bigint[], $14::integer[],
    $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::uuid[], $22::uuid[],
    $23::timestamptz[], $24::timestamptz[], $25::bigint[])
  ON CONFLICT (tenant_id, id) DO UPDATE SET
    workspace_name = EXCLUDED.workspace_name, workspace_organization = EXCLUDED.workspace_organization,
    block_name = EXCLUDED.block_name, block_from = EXCLUDED.block_from, block_from_base = EXCLUDED.block_from_base,
    block_version = EXCLUDED.block_version, action = EXCLUDED.action, status = EXCLUDED.status,
    started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at, duration_ms = EXCLUDED.duration_ms,
    exit_code = EXCLUDED.exit_code, cli_version = EXCLUDED.cli_version, hostname = EXCLUDED.hostname,
    os_user = EXCLUDED.os_user, source_type = EXCLUDED.source_type, source_id = EXCLUDED.source_id,
    source_name = EXCLUDED.source_name, retriggered_from = EXCLUDED.retriggered_from,
    command_id = EXCLUDED.command_id, received_at = EXCLUDED.received_at, updated_at = EXCLUDED.updated_at,
    first_position = EXCLUDED.first_position`;

export function actionRunColumns(rows: ActionRunRow[]): unknown[][] {
  const cols: unknown[][] = Array.from({ length: 25 }, () => []);
  for (const { tenantId, run: r, blockFromBase, source, receivedAt, updatedAt, firstPosition } of rows) {
    const values = [
      tenantId,
      r.id,
      r.workspace.name,
      r.workspace.organization,
      r.block.name,
      r.block.from,
      blockFromBase,
      r.block.version,
      r.action,
      r.status,
      r.startedAt,
      r.finishedAt,
      r.durationMs,
      r.exitCode,
      r.cliVersion,
      r.hostname,
      r.osUser,
      source.type,
      source.id,
      source.name,
      r.retriggeredFrom,
      r.commandId,
      receivedAt,
      updatedAt,
      firstPosition,
    ];
    values.forEach((v, i) => cols[i].push(v));
  }
  return cols;
}
