import { Injectable } from '@nestjs/common';
import type { ActionRunRecord } from '@runtrail/contracts';
import {
  ACTION_RUN_RECORD_LAYOUT,
  TenantReader,
  actionRunById,
  actionRunExportChunk,
  actionRunExportChunkEnds,
  actionRunPage,
  actionRunStats,
  aggregatedRunStats,
  commandsOfRun,
  type ExportFormat,
  type ExportFraming,
  type ExportChunk,
  EXACT_STATS_MAX_RUNS,
  foldRunStats,
  type RunFilter,
  type RunStatsBucket,
  type RunStatsGroup,
  type RunStatsInterval,
} from '@runtrail/persistence';
import { Clock } from '@runtrail/platform';
import type { CursorPosition } from '../shared/paging/cursor-codec';
import type { ExportSource } from '../shared/downloads/export-file';
import type { KeysetSource } from '../shared/paging/keyset-pages';
import type { RetriggerView } from './action-run-views';

/** Action runs as a keyset list, a download, by id, and aggregated; always inside the caller's tenant (null: the root key). */
@Injectable()
export class ActionRunRepository implements KeysetSource<RunFilter, ActionRunRecord>, ExportSource<RunFilter> {
  readonly name = 'action-runs';

  constructor(
    private readonly db: TenantReader,
    private readonly clock: Clock,
  ) {}

  fetch(tenantId: string | null, f: RunFilter, limit: number, offset: number, after?: CursorPosition): Promise<ActionRunRecord[]> {
    return this.db.read(tenantId, actionRunPage(tenantId, f, { limit, offset, after }));
  }

  positionOf(r: ActionRunRecord): CursorPosition {
    return { t: r.startedAt, i: r.id };
  }

  framing(format: ExportFormat): ExportFraming {
    return ACTION_RUN_RECORD_LAYOUT.framing(format);
  }

  exportChunk(tenantId: string | null, f: RunFilter, format: ExportFormat, limit: number, after?: CursorPosition): Promise<ExportChunk> {
    return this.db.readValues(tenantId, actionRunExportChunk(tenantId, f, format, limit, after));
  }

  exportChunkEnds(tenantId: string | null, f: RunFilter, every: number, count: number, after?: CursorPosition): Promise<CursorPosition[]> {
    return this.db.readValues(tenantId, actionRunExportChunkEnds(tenantId, f, every, count, after));
  }

  async findById(tenantId: string | null, id: string): Promise<ActionRunRecord | undefined> {
    const [run] = await this.db.read(tenantId, actionRunById(tenantId, id));
    return run;
  }

  /**
   * From the maintained aggregates when they can answer and the matching runs are many;
   * from the runs themselves otherwise (exact percentiles; docs/adr/0024).
   */
  async stats(tenantId: string | null, f: RunFilter, interval: RunStatsInterval, groupBy?: RunStatsGroup): Promise<RunStatsBucket[]> {
    const aggregated = aggregatedRunStats(tenantId, f, interval, groupBy);
    if (aggregated) {
      const folded = foldRunStats(await this.db.read(tenantId, aggregated));
      if (folded.runs > EXACT_STATS_MAX_RUNS) return folded.buckets;
    }
    return this.db.read(tenantId, actionRunStats(tenantId, f, interval, groupBy));
  }

  /** A run's re-triggers as projected, oldest first; a waiting one past its expiry reads as expired. */
  async retriggersOf(tenantId: string, runId: string): Promise<RetriggerView[]> {
    const commands = await this.db.read(tenantId, commandsOfRun(tenantId, runId, this.clock.now()));
    return commands.map((c) => ({ commandId: c.id, status: c.status, newRunId: c.newRunId }));
  }
}
