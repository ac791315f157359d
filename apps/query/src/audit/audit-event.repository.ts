import { Injectable } from '@nestjs/common';
import type { AuditRecord } from '@runtrail/contracts';
import { TenantReader } from '@runtrail/persistence';
import type { CursorPosition } from '../paging/cursor-codec';
import type { KeysetSource } from '../paging/keyset-pages';
import { SqlWhere } from '../paging/sql-where';
import type { AuditFilter } from './audit-filter';

interface AuditRow {
  id: string;
  event_id: string;
  tenant_id: string;
  happened_at: Date;
  action: string;
  version: string;
  entity_id: string | null;
  entity_type: string;
  entity_name: string | null;
  source_type: AuditRecord['sourceType'];
  source_id: string | null;
  source_name: string;
  success: boolean;
  context: Record<string, string>;
  received_at: Date;
}

const COLUMNS = `id, event_id, tenant_id, happened_at, action, version, entity_id, entity_type, entity_name,
  source_type, source_id, source_name, success, context, received_at`;

/**
 * Reads the audit timeline. Every statement is parameterised and carries the
 * tenant condition (null: the root key); keyset paging on (happened_at, id) walks
 * the (tenant_id, happened_at, id) index backwards, as fast deep as on page one.
 */
@Injectable()
export class AuditEventRepository implements KeysetSource<AuditFilter, AuditRecord> {
  readonly name = 'audit';

  constructor(private readonly db: TenantReader) {}

  async fetch(tenantId: string | null, f: AuditFilter, limit: number, offset: number, after?: CursorPosition): Promise<AuditRecord[]> {
    const where = new SqlWhere()
      .eq('tenant_id', tenantId ?? undefined)
      .add(f.start !== undefined, (b) => `happened_at >= ${b(f.start)}`)
      .add(f.endExclusive !== undefined, (b) => `happened_at < ${b(f.endExclusive)}`)
      .eq('action', f.action)
      .eq('source_type', f.sourceType)
      .eq('source_id', f.sourceId)
      .eq('source_name', f.sourceName)
      .eq('entity_type', f.entityType)
      .eq('entity_id', f.entityId)
      .eq('success', f.success)
      .add(after !== undefined, (b) => `(happened_at, id) < (${b(after?.t)}::timestamptz, ${b(after?.i)}::bigint)`);
    const sql = `SELECT ${COLUMNS} FROM audit_events ${where}
      ORDER BY happened_at DESC, id DESC LIMIT ${where.bind(limit)} OFFSET ${where.bind(offset)}`;
    const rows: AuditRow[] = await this.db.query(tenantId, sql, where.params);
    return rows.map(toRecord);
  }

  positionOf(r: AuditRecord): CursorPosition {
    return { t: r.happenedAt, i: String(r.id) };
  }
}

function toRecord(r: AuditRow): AuditRecord {
  return {
    id: Number(r.id),
    eventId: r.event_id,
    tenantId: r.tenant_id,
    happenedAt: r.happened_at.toISOString(),
    action: r.action,
    version: r.version,
    entityId: r.entity_id,
    entityType: r.entity_type,
    entityName: r.entity_name,
    sourceType: r.source_type,
    sourceId: r.source_id,
    sourceName: r.source_name,
    success: r.success,
    context: r.context,
    receivedAt: r.received_at.toISOString(),
  };
}
