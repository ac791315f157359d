import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { CursorCodec, type CursorPosition } from './cursor-codec';
import { Page, fingerprint } from './page';
import type { Paging } from './paging-params.dto';

/** One list's read: a page of records after a keyset position, newest first. */
export interface KeysetSource<F, R> {
  /** Names the list in cursors, so a cursor of one list is refused by another. */
  name: string;
  fetch(tenantId: string | null, filter: F, limit: number, offset: number, after?: CursorPosition): Promise<R[]>;
  positionOf(record: R): CursorPosition;
}

/** Keyset paging over any list (docs/api.md#lists-and-paging); downloads are exportFile's. */
@Injectable()
export class KeysetPages {
  constructor(private readonly cursors: CursorCodec) {}

  /** One page; reads one record more than asked to know whether another page exists. */
  async page<F extends object, R>(source: KeysetSource<F, R>, auth: AuthContext, filter: F, paging: Paging): Promise<Page<R>> {
    const fp = fingerprint(auth.tenantId, { list: source.name, ...filter });
    const after = paging.cursor === undefined ? undefined : this.cursors.decode(paging.cursor, fp);
    const rows = await source.fetch(auth.tenantId, filter, paging.limit + 1, paging.offset, after);
    const items = rows.slice(0, paging.limit);
    const more = rows.length > paging.limit;
    return new Page(items, paging.limit, more ? this.cursors.encode(source.positionOf(items[items.length - 1]), fp) : undefined);
  }
}
