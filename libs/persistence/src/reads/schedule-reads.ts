import { scheduleView, type ScheduleView } from '@runtrail/contracts';
import type { PageWindow, ReadQuery } from '../sql/read-query';
import { SqlWhere } from '../sql/sql-where';
import { schedulesTable } from '../tables/schedules.table';

export interface ScheduleFilter {
  runId?: string;
}

const t = schedulesTable;

/** Schedules that exist (not deleted), newest first by (created_at, id). */
export function schedulePage(tenantId: string | null, f: ScheduleFilter, page: PageWindow): ReadQuery<ScheduleView> {
  const { after } = page;
  const where = new SqlWhere()
    .eq('tenant_id', tenantId ?? undefined)
    .add(true, () => 'NOT deleted')
    .add(f.runId !== undefined, (b) => `run_id = ${b(f.runId)}::uuid`)
    .add(after !== undefined, (b) => `(created_at, id) < (${b(after?.t)}::timestamptz, ${b(after?.i)}::uuid)`);
  return {
    text: `SELECT ${t.select()} FROM ${t.name} ${where}
      ORDER BY created_at DESC, id DESC LIMIT ${where.bind(page.limit)} OFFSET ${where.bind(page.offset)}`,
    values: where.params,
    decode: (raw) => scheduleView(t.decode(raw)),
  };
}
