import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import type { AuditRecord } from '@runtrail/contracts';
import { CursorCodec } from '../paging/cursor-codec';
import { fingerprint } from '../paging/page';
import type { Paging } from '../paging/paging-params.dto';
import { AuditEventRepository, positionOf } from './audit-event.repository';
import type { AuditFilter } from './audit-filter';

export interface Page<T> {
  items: T[];
  /** Set when more records exist after this page. */
  nextCursor?: string;
}

const EXPORT_CHUNK = 1000;

@Injectable()
export class ListAuditEventsUseCase {
  constructor(
    private readonly repository: AuditEventRepository,
    private readonly cursors: CursorCodec,
  ) {}

  /** One page, newest first; reads one record more than asked to know if another page exists. */
  async page(auth: AuthContext, filter: AuditFilter, paging: Paging): Promise<Page<AuditRecord>> {
    const fp = fingerprint(auth.tenantId, { ...filter });
    const after = paging.cursor === undefined ? undefined : this.cursors.decode(paging.cursor, fp);
    const rows = await this.repository.page({
      tenantId: auth.tenantId,
      filter,
      limit: paging.limit + 1,
      offset: paging.offset,
      after,
    });
    const items = rows.slice(0, paging.limit);
    const more = rows.length > paging.limit;
    return { items, nextCursor: more ? this.cursors.encode(positionOf(items[items.length - 1]), fp) : undefined };
  }

  /**
   * The whole matching set, read in keyset chunks so memory stays constant and no
   * long transaction is held open however large the export.
   */
  async *all(auth: AuthContext, filter: AuditFilter): AsyncGenerator<AuditRecord> {
    let after: ReturnType<typeof positionOf> | undefined;
    for (;;) {
      const rows = await this.repository.page({ tenantId: auth.tenantId, filter, limit: EXPORT_CHUNK, offset: 0, after });
      yield* rows;
      if (rows.length < EXPORT_CHUNK) return;
      after = positionOf(rows[rows.length - 1]);
    }
  }
}
