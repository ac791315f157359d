import { Injectable } from '@nestjs/common';
import { SqlWhere, TenantReader, integrityEntriesTable } from '@runtrail/persistence';
import type { CursorPosition } from '../shared/paging/cursor-codec';
import type { KeysetSource } from '../shared/paging/keyset-pages';
import type { EntryFilter } from './integrity-filters';
import type { LogEntryView } from './integrity-views';
import { definedTenant } from './log-tenant';

const t = integrityEntriesTable;

/** A tenant log's entries, as the tenant reads them (row-level security), and as a keyset list, oldest (lowest index) first. */
@Injectable()
export class LogEntryRepository implements KeysetSource<EntryFilter, LogEntryView> {
  readonly name = 'integrity-entries';

  constructor(private readonly db: TenantReader) {}

  fetch(tenantId: string | null, f: EntryFilter, limit: number, offset: number, after?: CursorPosition): Promise<LogEntryView[]> {
    const where = new SqlWhere()
      .eq('tenant_id', definedTenant(tenantId))
      .add(f.start !== undefined, (b) => `idx >= ${b(f.start)}`)
      .add(f.end !== undefined, (b) => `idx < ${b(f.end)}`)
      .eq('ref', f.ref)
      .add(after !== undefined, (b) => `idx > ${b(after?.i)}::bigint`);
    return this.select(definedTenant(tenantId), `${where} ORDER BY idx LIMIT ${where.bind(limit)} OFFSET ${where.bind(offset)}`, where.params);
  }

  positionOf(e: LogEntryView): CursorPosition {
    return { t: e.receivedAt, i: String(e.index) };
  }

  async byEntryId(tenantId: string, entryId: string): Promise<LogEntryView | undefined> {
    return (await this.select(tenantId, 'WHERE tenant_id = $1 AND entry_id = $2::uuid', [tenantId, entryId]))[0];
  }

  private async select(tenantId: string, rest: string, params: unknown[]): Promise<LogEntryView[]> {
    const rows = await this.db.query<Record<string, unknown>>(tenantId, `SELECT ${t.select()} FROM ${t.name} ${rest}`, params);
    return rows.map((raw) => {
      const e = t.decode(raw);
      return { index: e.index, entryId: e.entryId, kind: e.kind as LogEntryView['kind'], ref: e.ref, receivedAt: e.receivedAt, leafHash: e.leafHash.toString('base64') };
    });
  }
}
