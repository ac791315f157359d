import { Injectable } from '@nestjs/common';
import { effectiveStatus, type CommandStatus, type CommandView } from '@runtrail/contracts';
import { TenantReader } from '@runtrail/persistence';
import type { CursorPosition } from '../paging/cursor-codec';
import type { KeysetSource } from '../paging/keyset-pages';
import { SqlWhere } from '../paging/sql-where';

export interface CommandFilter {
  runId?: string;
  runnerId?: string;
  status?: CommandStatus;
}

interface CommandRowDb {
  id: string;
  run_id: string;
  runner_id: string;
  status: CommandStatus;
  reason: string | null;
  requested_by: CommandView['requestedBy'];
  requested_at: Date;
  updated_at: Date;
  expires_at: Date;
  new_run_id: string | null;
  exit_code: number | null;
}

/** A waiting command past its expiry reads as expired, in filters as in answers. */
const EFFECTIVE_STATUS = `CASE WHEN status IN ('queued', 'dispatched') AND expires_at <= now() THEN 'expired' ELSE status END`;

function toView(r: CommandRowDb): CommandView {
  return {
    id: r.id,
    runId: r.run_id,
    runnerId: r.runner_id,
    status: effectiveStatus(r.status, r.expires_at.toISOString()),
    reason: r.reason,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    newRunId: r.new_run_id,
    exitCode: r.exit_code,
  };
}

/** Commands as projected from their facts: lists and a run's re-triggers. */
@Injectable()
export class CommandRepository implements KeysetSource<CommandFilter, CommandView> {
  readonly name = 'commands';

  constructor(private readonly db: TenantReader) {}

  async fetch(tenantId: string | null, f: CommandFilter, limit: number, offset: number, after?: CursorPosition): Promise<CommandView[]> {
    const where = new SqlWhere()
      .eq('tenant_id', tenantId ?? undefined)
      .add(f.runId !== undefined, (b) => `run_id = ${b(f.runId)}::uuid`)
      .add(f.runnerId !== undefined, (b) => `runner_id = ${b(f.runnerId)}::uuid`)
      .add(f.status !== undefined, (b) => `${EFFECTIVE_STATUS} = ${b(f.status)}`)
      .add(after !== undefined, (b) => `(requested_at, id) < (${b(after?.t)}::timestamptz, ${b(after?.i)}::uuid)`);
    const rows: CommandRowDb[] = await this.db.query(tenantId, `SELECT * FROM commands ${where} ORDER BY requested_at DESC, id DESC LIMIT ${where.bind(limit)} OFFSET ${where.bind(offset)}`,
      where.params,
    );
    return rows.map(toView);
  }

  positionOf(c: CommandView): CursorPosition {
    return { t: c.requestedAt, i: c.id };
  }

  /** A run's re-triggers, oldest first. */
  async retriggersOf(tenantId: string, runId: string): Promise<{ commandId: string; status: CommandStatus; newRunId: string | null }[]> {
    const rows: CommandRowDb[] = await this.db.query(tenantId, `SELECT * FROM commands WHERE tenant_id = $1 AND run_id = $2 ORDER BY requested_at, id`,
      [tenantId, runId],
    );
    return rows.map(toView).map((c) => ({ commandId: c.id, status: c.status, newRunId: c.newRunId }));
  }
}
