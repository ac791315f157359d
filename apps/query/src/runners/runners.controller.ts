import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { CurrentAuth, RequireRunner, RequireScopes, type AuthContext } from '@runtrail/auth';
import type { Page } from '../shared/paging/page';
import { PageParamsDto, toPaging } from '../shared/paging/paging-params.dto';
import { ChangeRoute, ListRoute, ReadRoute } from '../shared/routes/route-kinds';
import { OptionalBody } from '../shared/validation/optional-body.decorator';
import { TakesNoQuery } from '../shared/validation/takes-no-query.decorator';
import { CreateRunnerDto, HeartbeatDto } from './create-runner.dto';
import { CreatedRunnerView, RunnerSessionView, RunnerView } from './runner-views';
import { RunnersUseCases } from './runners.usecases';

@ApiBearerAuth()
@Controller('v1/runners')
export class RunnersController {
  constructor(private readonly runners: RunnersUseCases) {}

  @Post()
  @RequireScopes('runners:manage')
  @ApiOperation({ summary: 'Register a runner; its token is in this answer only' })
  @ChangeRoute({ status: 201, answer: CreatedRunnerView, takesBody: true })
  register(@CurrentAuth() auth: AuthContext, @Body() body: CreateRunnerDto): Promise<CreatedRunnerView> {
    return this.runners.register(auth, body);
  }

  @Get()
  @RequireScopes('runners:manage')
  @ApiOperation({ summary: "The tenant's runners, newest first, with their presence" })
  @ListRoute(RunnerView)
  list(@CurrentAuth() auth: AuthContext, @Query() query: PageParamsDto): Promise<Page<RunnerView>> {
    return this.runners.list(auth, toPaging(query).paging);
  }

  @Delete(':id')
  @RequireScopes('runners:manage')
  @ApiOperation({ summary: 'Remove a runner; its token is refused from then on' })
  @ChangeRoute({ status: 204, onRecord: true })
  remove(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    return this.runners.remove(auth, id);
  }
}

/** The runner agent's own endpoints (its token, not an API key). */
@ApiBearerAuth()
@Controller('v1/runner-session')
export class RunnerSessionController {
  constructor(private readonly runners: RunnersUseCases) {}

  @Get()
  @RequireRunner()
  @TakesNoQuery()
  @ApiOperation({ summary: 'For the runner agent: who it is and where its commands arrive' })
  @ReadRoute(RunnerSessionView)
  session(@CurrentAuth() auth: AuthContext): Promise<RunnerSessionView> {
    return this.runners.session(auth);
  }

  @Post('heartbeat')
  @RequireRunner()
  @ApiOperation({ summary: 'For the runner agent: alive (every 10 s), or stopping (state offline)' })
  @ChangeRoute({ status: 204, takesBody: true })
  heartbeat(@CurrentAuth() auth: AuthContext, @OptionalBody() body: HeartbeatDto): Promise<void> {
    return this.runners.heartbeat(auth, body);
  }
}
