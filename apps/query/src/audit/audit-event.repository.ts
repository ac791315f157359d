import { Injectable } from '@nestjs/common';
import type { AuditRecord } from '@runtrail/contracts';
import { AUDIT_RECORD_LAYOUT, TenantReader, auditEventExportChunk, auditEventExportChunkEnds, auditEventPage, type AuditFilter, type ExportFormat, type ExportFraming, type ExportChunk } from '@runtrail/persistence';
import type { CursorPosition } from '../shared/paging/cursor-codec';
import type { ExportSource } from '../shared/downloads/export-file';
import type { KeysetSource } from '../shared/paging/keyset-pages';

/** The audit timeline as a keyset list and a download, read inside the caller's tenant (null: the root key). */
@Injectable()
export class AuditEventRepository implements KeysetSource<AuditFilter, AuditRecord>, ExportSource<AuditFilter> {
  readonly name = 'audit';

  constructor(private readonly db: TenantReader) {}

  fetch(tenantId: string | null, f: AuditFilter, limit: number, offset: number, after?: CursorPosition): Promise<AuditRecord[]> {
    return this.db.read(tenantId, auditEventPage(tenantId, f, { limit, offset, after }));
  }

  positionOf(r: AuditRecord): CursorPosition {
    return { t: r.happenedAt, i: String(r.id) };
  }

  framing(format: ExportFormat): ExportFraming {
    return AUDIT_RECORD_LAYOUT.framing(format);
  }

  exportChunk(tenantId: string | null, f: AuditFilter, format: ExportFormat, limit: number, after?: CursorPosition): Promise<ExportChunk> {
    return this.db.readValues(tenantId, auditEventExportChunk(tenantId, f, format, limit, after));
  }

  exportChunkEnds(tenantId: string | null, f: AuditFilter, every: number, count: number, after?: CursorPosition): Promise<CursorPosition[]> {
    return this.db.readValues(tenantId, auditEventExportChunkEnds(tenantId, f, every, count, after));
  }
}
