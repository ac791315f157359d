import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { CurrentAuth, RequireRunner, RequireScopes, type AuthContext } from '@runtrail/auth';
import type { CommandView } from '@runtrail/contracts';
import { KeysetPages } from '../shared/paging/keyset-pages';
import type { Page } from '../shared/paging/page';
import { toPaging } from '../shared/paging/paging-params.dto';
import { ChangeRoute, ListRoute, RecordRoute } from '../shared/routes/route-kinds';
import { OptionalBody } from '../shared/validation/optional-body.decorator';
import { TakesNoQuery } from '../shared/validation/takes-no-query.decorator';
import { UuidIdParams } from '../shared/validation/uuid-id-params';
import { CommandRecordView, RetriggerResultView } from './command-views';
import { CommandRepository } from './command.repository';
import { CommandsUseCases, type RetriggerResult } from './commands.usecases';
import { CommandStatusDto, CommandsQueryDto, RetriggerDto } from './retrigger.dto';

@ApiBearerAuth()
@Controller('v1')
export class CommandsController {
  constructor(
    private readonly commands: CommandsUseCases,
    private readonly repository: CommandRepository,
    private readonly pages: KeysetPages,
  ) {}

  @Post('action-runs/:id/retrigger')
  @RequireScopes('runs:retrigger')
  @ApiOperation({ summary: 'Run a stored run again on a runner serving its workspace', description: '409 when no runner of the tenant serves the workspace' })
  @ChangeRoute({ status: 202, answer: RetriggerResultView, takesBody: true, onRecord: true, mayConflict: true })
  // The id comes last: Nest starts the checks of the last parameter first, so a
  // malformed id is reported before a malformed body, as it always was.
  retrigger(@CurrentAuth() auth: AuthContext, @OptionalBody() body: RetriggerDto, @Param() { id }: UuidIdParams): Promise<RetriggerResult> {
    return this.commands.retrigger(auth, id, body);
  }

  @Get('commands/:id')
  @RequireScopes('audit:read')
  @TakesNoQuery()
  @ApiOperation({ summary: 'One command, read from its authoritative state' })
  @RecordRoute(CommandRecordView)
  get(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<CommandView> {
    return this.commands.get(auth, id);
  }

  @Get('commands')
  @RequireScopes('audit:read')
  @ApiOperation({ summary: 'Commands, newest first by requestedAt; filters run_id, runner_id, status' })
  @ListRoute(CommandRecordView)
  list(@CurrentAuth() auth: AuthContext, @Query() query: CommandsQueryDto): Promise<Page<CommandView>> {
    const { paging } = toPaging(query);
    const filter = { runId: query.run_id?.toLowerCase(), runnerId: query.runner_id?.toLowerCase(), status: query.status };
    return this.pages.page(this.repository, auth, filter, paging);
  }

  @Post('commands/:id/accept')
  @RequireRunner()
  @ApiOperation({ summary: 'For the runner agent: take a command (409 when taken, expired or done)' })
  @ChangeRoute({ status: 200, answer: CommandRecordView, onRecord: true, mayConflict: true })
  accept(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<CommandView> {
    return this.commands.accept(auth, id);
  }

  @Post('commands/:id/status')
  @RequireRunner()
  @ApiOperation({ summary: 'For the runner agent: running, succeeded or failed (with exitCode and newRunId)' })
  @ChangeRoute({ status: 204, takesBody: true, onRecord: true, mayConflict: true })
  report(@CurrentAuth() auth: AuthContext, @Param('id') id: string, @Body() body: CommandStatusDto): Promise<void> {
    return this.commands.report(auth, id, body);
  }
}
