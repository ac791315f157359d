import { commandViewAt, type CommandStatus, type CommandView } from '@runtrail/contracts';
import type { PageWindow, ReadQuery } from '../sql/read-query';
import { SqlWhere } from '../sql/sql-where';
import { commandsTable } from '../tables/commands.table';

export interface CommandFilter {
  runId?: string;
  runnerId?: string;
  status?: CommandStatus;
}

const t = commandsTable;

/**
 * A waiting command past its expiry reads as expired, in filters as in answers; `now` is
 * the caller's clock (bound), the same one that decides the answers.
 */
const effectiveStatusSql = (now: string) => `CASE WHEN status IN ('queued', 'dispatched') AND expires_at <= ${now}::timestamptz THEN 'expired' ELSE status END`;

/** Commands, newest first by (requested_at, id). */
export function commandPage(tenantId: string | null, f: CommandFilter, page: PageWindow, now: number): ReadQuery<CommandView> {
  const { after } = page;
  const where = new SqlWhere()
    .eq('tenant_id', tenantId ?? undefined)
    .add(f.runId !== undefined, (b) => `run_id = ${b(f.runId)}::uuid`)
    .add(f.runnerId !== undefined, (b) => `runner_id = ${b(f.runnerId)}::uuid`)
    .add(f.status !== undefined, (b) => `${effectiveStatusSql(b(new Date(now)))} = ${b(f.status)}`)
    .add(after !== undefined, (b) => `(requested_at, id) < (${b(after?.t)}::timestamptz, ${b(after?.i)}::uuid)`);
  return {
    text: `SELECT ${t.select()} FROM ${t.name} ${where}
      ORDER BY requested_at DESC, id DESC LIMIT ${where.bind(page.limit)} OFFSET ${where.bind(page.offset)}`,
    values: where.params,
    decode: (raw) => commandViewAt(t.decode(raw), now),
  };
}

/** A run's re-triggers, oldest first. */
export function commandsOfRun(tenantId: string, runId: string, now: number): ReadQuery<CommandView> {
  return {
    text: `SELECT ${t.select()} FROM ${t.name} WHERE tenant_id = $1 AND run_id = $2 ORDER BY requested_at, id`,
    values: [tenantId, runId],
    decode: (raw) => commandViewAt(t.decode(raw), now),
  };
}
