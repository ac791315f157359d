import { Injectable } from '@nestjs/common';
import type { AuditRecord } from '@runtrail/contracts';
import { DataSource } from 'typeorm';
import type { CursorPosition } from '../paging/cursor-codec';
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

export interface AuditPageRequest {
  /** null: the root key, every tenant. */
  tenantId: string | null;
  filter: AuditFilter;
  limit: number;
  offset: number;
  after?: CursorPosition;
}

const COLUMNS = `id, event_id, tenant_id, happened_at, action, version, entity_id, entity_type, entity_name,
  source_type, source_id, source_name, success, context, received_at`;

/**
 * Reads the audit timeline. Every statement is parameterised and carries the
 * tenant condition; keyset paging on (happened_at, id) walks the
 * (tenant_id, happened_at, id) index backwards, as fast deep as on page one.
 */
@Injectable()
export class AuditEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  async page(req: AuditPageRequest): Promise<AuditRecord[]> {
    const params: unknown[] = [];
    const bind = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (req.tenantId !== null) where.push(`tenant_id = ${bind(req.tenantId)}`);
    const f = req.filter;
    if (f.start) where.push(`happened_at >= ${bind(f.start)}`);
    if (f.endExclusive) where.push(`happened_at < ${bind(f.endExclusive)}`);
    if (f.action !== undefined) where.push(`action = ${bind(f.action)}`);
    if (f.sourceType !== undefined) where.push(`source_type = ${bind(f.sourceType)}`);
    if (f.sourceId !== undefined) where.push(`source_id = ${bind(f.sourceId)}`);
    if (f.sourceName !== undefined) where.push(`source_name = ${bind(f.sourceName)}`);
    if (f.entityType !== undefined) where.push(`entity_type = ${bind(f.entityType)}`);
    if (f.entityId !== undefined) where.push(`entity_id = ${bind(f.entityId)}`);
    if (f.success !== undefined) where.push(`success = ${bind(f.success)}`);
    if (req.after) where.push(`(happened_at, id) < (${bind(req.after.t)}::timestamptz, ${bind(req.after.i)}::bigint)`);
    const sql = `SELECT ${COLUMNS} FROM audit_events
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY happened_at DESC, id DESC
      LIMIT ${bind(req.limit)} OFFSET ${bind(req.offset)}`;
    const rows: AuditRow[] = await this.dataSource.query(sql, params);
    return rows.map(toRecord);
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

/** The keyset position of a record, for the next page's cursor. */
export function positionOf(r: AuditRecord): CursorPosition {
  return { t: r.happenedAt, i: String(r.id) };
}
