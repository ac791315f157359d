import { Injectable } from '@nestjs/common';
import type { ScheduleView } from '@runtrail/contracts';
import { TenantReader, schedulePage, type ScheduleFilter } from '@runtrail/persistence';
import type { CursorPosition } from '../shared/paging/cursor-codec';
import type { KeysetSource } from '../shared/paging/keyset-pages';

/** Schedules as projected from their facts, as a keyset list. */
@Injectable()
export class ScheduleRepository implements KeysetSource<ScheduleFilter, ScheduleView> {
  readonly name = 'schedules';

  constructor(private readonly db: TenantReader) {}

  fetch(tenantId: string | null, f: ScheduleFilter, limit: number, offset: number, after?: CursorPosition): Promise<ScheduleView[]> {
    return this.db.read(tenantId, schedulePage(tenantId, f, { limit, offset, after }));
  }

  positionOf(s: ScheduleView): CursorPosition {
    return { t: s.createdAt, i: s.id };
  }
}
