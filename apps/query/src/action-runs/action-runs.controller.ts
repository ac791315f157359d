import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import type { ActionRunRecord } from '@runtrail/contracts';
import type { RunStatsBucket } from '@runtrail/persistence';
import { Download } from '../shared/downloads/download';
import { exportFile } from '../shared/downloads/export-file';
import { KeysetPages } from '../shared/paging/keyset-pages';
import type { Page } from '../shared/paging/page';
import { toPaging } from '../shared/paging/paging-params.dto';
import { ListRoute, ReadRoute, RecordRoute } from '../shared/routes/route-kinds';
import { TakesNoQuery } from '../shared/validation/takes-no-query.decorator';
import { UuidIdParams } from '../shared/validation/uuid-id-params';
import { toRunFilter } from './action-run-filter';
import { ActionRunQueryDto, RunStatsQueryDto } from './action-run-query.dto';
import { ActionRunDetailView, ActionRunView, RunStatsBucketView } from './action-run-views';
import { ActionRunRepository } from './action-run.repository';
import { GetActionRun } from './usecases/get-action-run/get-action-run.usecase';

@ApiBearerAuth()
@Controller('v1/action-runs')
export class ActionRunsController {
  constructor(
    private readonly pages: KeysetPages,
    private readonly runs: ActionRunRepository,
    private readonly getRun: GetActionRun,
  ) {}

  @Get()
  @RequireScopes('audit:read')
  @ApiOperation({ summary: 'Action runs, newest first by startedAt; paged, or downloaded whole as JSON or CSV' })
  @ListRoute(ActionRunView, { download: true })
  list(@CurrentAuth() auth: AuthContext, @Query() query: ActionRunQueryDto): Promise<Page<ActionRunRecord>> | Download {
    const { paging, download } = toPaging(query);
    const filter = toRunFilter(query);
    if (download) return new Download(exportFile(this.runs, auth.tenantId, filter, download), download, 'action-runs');
    return this.pages.page(this.runs, auth, filter, paging);
  }

  @Get('stats')
  @RequireScopes('audit:read')
  @ApiOperation({ summary: 'Counts per status and durations (avg, p50, p95 over finished runs) per UTC bucket, oldest first' })
  @ReadRoute(RunStatsBucketView, { isArray: true })
  stats(@CurrentAuth() auth: AuthContext, @Query() query: RunStatsQueryDto): Promise<RunStatsBucket[]> {
    return this.runs.stats(auth.tenantId, toRunFilter(query), query.interval ?? 'day', query.group_by);
  }

  @Get(':id')
  @RequireScopes('audit:read')
  @TakesNoQuery()
  @ApiOperation({ summary: 'One action run with its re-triggers; another tenant’s run answers 404' })
  @RecordRoute(ActionRunDetailView)
  get(@CurrentAuth() auth: AuthContext, @Param() { id }: UuidIdParams): Promise<ActionRunDetailView> {
    return this.getRun.execute({ auth, runId: id });
  }
}
