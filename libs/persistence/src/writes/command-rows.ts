/** A command as its facts carry it (the authoritative state lives in KV, ADR 0007). */
export interface CommandRow {
  id: string;
  tenantId: string;
  runId: string;
  runnerId: string;
  status: string;
  reason: string | null;
  requestedBy: { sourceType: string; sourceId: string | null; sourceName: string };
  requestedAt: string;
  updatedAt: string;
  expiresAt: string;
  newRunId: string | null;
  exitCode: number | null;
  revision: number;
}

/** Keeps the highest revision of each command, whatever order the facts arrive in. */
export const UPSERT_COMMANDS_SQL = `
  INSERT INTO commands (tenant_id, id, run_id, runner_id, status, reason, requested_by, requested_at, updated_at,
    expires_at, new_run_id, exit_code, revision)
  SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::jsonb[],
    $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::uuid[], $12::integer[], $13::bigint[])
  ON CONFLICT (tenant_id, id) DO UPDATE SET
    status = EXCLUDED.status, updated_at = EXCLUDED.updated_at, new_run_id = EXCLUDED.new_run_id,
    exit_code = EXCLUDED.exit_code, revision = EXCLUDED.revision
  WHERE commands.revision < EXCLUDED.revision`;

export function commandColumns(rows: CommandRow[]): unknown[][] {
  const cols: unknown[][] = Array.from({ length: 13 }, () => []);
  for (const r of rows) {
    [r.tenantId, r.id, r.runId, r.runnerId, r.status, r.reason, JSON.stringify(r.requestedBy), r.requestedAt, r.updatedAt,
      r.expiresAt, r.newRunId, r.exitCode, r.revision].forEach((v, i) => cols[i].push(v));
  }
  return cols;
}
