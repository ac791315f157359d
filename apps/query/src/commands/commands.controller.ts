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
import { toCommandFilter } from './command-filter';
import { CommandStatusDto } from './command-status.dto';
import { CommandViewDto, RetriggerResultView } from './command-views';
import { CommandRepository } from './command.repository';
import { CommandsQueryDto } from './commands-query.dto';
import { RetriggerDto } from './retrigger.dto';
import { AcceptCommand } from './usecases/accept-command/accept-command.usecase';
import { GetCommand } from './usecases/get-command/get-command.usecase';
import { ReportCommandStatus } from './usecases/report-command-status/report-command-status.usecase';
import { RetriggerRun } from './usecases/retrigger-run/retrigger-run.usecase';

@ApiBearerAuth()
@Controller('v1')
export class CommandsController {
  constructor(
    private readonly pages: KeysetPages,
    private readonly commands: CommandRepository,
    private readonly retriggerRun: RetriggerRun,
    private readonly getCommand: GetCommand,
    private readonly acceptCommand: AcceptCommand,
    private readonly reportStatus: ReportCommandStatus,
  ) {}

  @Post('action-runs/:id/retrigger')
  @RequireScopes('runs:retrigger')
  @ApiOperation({ summary: 'Run a stored run again on a runner serving its workspace', description: '409 when no runner of the tenant serves the workspace' })
  @ChangeRoute({ status: 202, answer: RetriggerResultView, takesBody: true, onRecord: true, mayConflict: true })
  // The id comes last: Nest checks the last parameter first, so a malformed id is
  // reported before a malformed body, as it always was (test/http-edge.spec.ts).
  retrigger(@CurrentAuth() auth: AuthContext, @OptionalBody() body: RetriggerDto, @Param() { id }: UuidIdParams): Promise<RetriggerResultView> {
    return this.retriggerRun.execute({ auth, runId: id, ...body });
  }

  @Get('commands')
  @RequireScopes('audit:read')
  @ApiOperation({ summary: 'Commands, newest first by requestedAt; filters run_id, runner_id, status' })
  @ListRoute(CommandViewDto)
  list(@CurrentAuth() auth: AuthContext, @Query() query: CommandsQueryDto): Promise<Page<CommandView>> {
    const { paging } = toPaging(query);
    return this.pages.page(this.commands, auth, toCommandFilter(query), paging);
  }

  @Get('commands/:id')
  @RequireScopes('audit:read')
  @TakesNoQuery()
  @ApiOperation({ summary: 'One command, read from its authoritative state' })
  @RecordRoute(CommandViewDto)
  get(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<CommandView> {
    return this.getCommand.execute({ auth, commandId: id });
  }

  @Post('commands/:id/accept')
  @RequireRunner()
  @ApiOperation({ summary: 'For the runner agent: take a command (409 when taken, expired or done)' })
  @ChangeRoute({ status: 200, answer: CommandViewDto, onRecord: true, mayConflict: true })
  accept(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<CommandView> {
    return this.acceptCommand.execute({ auth, commandId: id });
  }

  @Post('commands/:id/status')
  @RequireRunner()
  @ApiOperation({ summary: 'For the runner agent: running, succeeded or failed (with exitCode and newRunId)' })
  @ChangeRoute({ status: 204, takesBody: true, onRecord: true, mayConflict: true })
  report(@CurrentAuth() auth: AuthContext, @Param('id') id: string, @Body() body: CommandStatusDto): Promise<void> {
    return this.reportStatus.execute({ auth, commandId: id, ...body });
  }
}
