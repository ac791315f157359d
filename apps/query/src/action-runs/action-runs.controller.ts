import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import { ACTION_RUN_RECORD_FIELDS } from '@runtrail/contracts';
import { InvalidInputError, NotFoundError } from '@runtrail/platform';
import type { Request, Response } from 'express';
import { streamDownload } from '../export/stream-download';
import { KeysetPages } from '../paging/keyset-pages';
import { readListQuery, sendPage } from '../paging/list-response';
import { parseNoQuery, parseQuery } from '../paging/parse-query';
import { toRunFilter } from './action-run-filter';
import { ActionRunQueryDto, RunStatsQueryDto } from './action-run-query.dto';
import { ActionRunDetailView, ActionRunView, RunStatsBucketView } from './action-run-views';
import { CommandRepository } from '../commands/command.repository';
import type { RunStatsBucket } from '@runtrail/persistence';
import { ActionRunRepository } from './action-run.repository';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

@ApiBearerAuth()
@Controller('v1/action-runs')
export class ActionRunsController {
  constructor(
    private readonly pages: KeysetPages,
    private readonly runs: ActionRunRepository,
    private readonly commands: CommandRepository,
  ) {}

  @Get()
  @RequireScopes('audit:read')
  @ApiOperation({ summary: 'Action runs, newest first by startedAt; paged, or downloaded whole as JSON or CSV' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ActionRunView, isArray: true })
  async list(
    @CurrentAuth() auth: AuthContext,
    @Query() _documented: ActionRunQueryDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { query, paging, download } = readListQuery(req, ActionRunQueryDto);
    const filter = toRunFilter(query);
    if (download) {
      await streamDownload(res, this.pages.all(this.runs, auth, filter), download, 'action-runs', ACTION_RUN_RECORD_FIELDS);
      return;
    }
    sendPage(req, res, paging, await this.pages.page(this.runs, auth, filter, paging));
  }

  @Get('stats')
  @RequireScopes('audit:read')
  @ApiOperation({
    summary: 'Counts per status and durations (avg, p50, p95 over finished runs) per UTC bucket, oldest first',
  })
  @ApiOkResponse({ type: RunStatsBucketView, isArray: true })
  stats(@CurrentAuth() auth: AuthContext, @Query() _documented: RunStatsQueryDto, @Req() req: Request): Promise<RunStatsBucket[]> {
    const query = parseQuery(RunStatsQueryDto, req.query as Record<string, unknown>);
    return this.runs.stats(auth.tenantId, toRunFilter(query), query.interval ?? 'day', query.group_by);
  }

  @Get(':id')
  @RequireScopes('audit:read')
  @ApiOperation({ summary: 'One action run with its re-triggers; another tenant’s run answers 404' })
  @ApiOkResponse({ type: ActionRunDetailView })
  async get(@CurrentAuth() auth: AuthContext, @Param('id') id: string, @Req() req: Request): Promise<ActionRunDetailView> {
    parseNoQuery(req.query as Record<string, unknown>);
    if (!UUID.test(id)) throw new InvalidInputError('id must be a UUID');
    const run = await this.runs.findById(auth.tenantId, id.toLowerCase());
    if (!run) throw new NotFoundError(`action run ${id} not found`);
    return { ...run, retriggers: await this.commands.retriggersOf(run.tenantId, run.id) };
  }
}

