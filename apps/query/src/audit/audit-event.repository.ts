import { Injectable } from '@nestjs/common';
import type { AuditRecord } from '@runtrail/contracts';
import { TenantReader, auditEventPage, type AuditFilter } from '@runtrail/persistence';
import type { CursorPosition } from '../shared/paging/cursor-codec';
import type { KeysetSource } from '../shared/paging/keyset-pages';

/** The audit timeline as a keyset list, read inside the caller's tenant (null: the root key). */
@Injectable()
export class AuditEventRepository implements KeysetSource<AuditFilter, AuditRecord> {
  readonly name = 'audit';

  constructor(private readonly db: TenantReader) {}

  fetch(tenantId: string | null, f: AuditFilter, limit: number, offset: number, after?: CursorPosition): Promise<AuditRecord[]> {
    return this.db.read(tenantId, auditEventPage(tenantId, f, { limit, offset, after }));
  }

  positionOf(r: AuditRecord): CursorPosition {
    return { t: r.happenedAt, i: String(r.id) };
  }
}
