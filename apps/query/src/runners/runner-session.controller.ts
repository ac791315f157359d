import { Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { CurrentAuth, RequireRunner, type AuthContext } from '@runtrail/auth';
import { ChangeRoute, ReadRoute } from '../shared/routes/route-kinds';
import { OptionalBody } from '../shared/validation/optional-body.decorator';
import { TakesNoQuery } from '../shared/validation/takes-no-query.decorator';
import { HeartbeatDto } from './heartbeat.dto';
import { RunnerSessionView } from './runner-views';
import { GetRunnerSession } from './usecases/get-runner-session/get-runner-session.usecase';
import { RecordHeartbeat } from './usecases/record-heartbeat/record-heartbeat.usecase';

/** The runner agent's own endpoints (its token, not an API key). */
@ApiBearerAuth()
@Controller('v1/runner-session')
export class RunnerSessionController {
  constructor(
    private readonly getSession: GetRunnerSession,
    private readonly recordHeartbeat: RecordHeartbeat,
  ) {}

  @Get()
  @RequireRunner()
  @TakesNoQuery()
  @ApiOperation({ summary: 'For the runner agent: who it is and where its commands arrive' })
  @ReadRoute(RunnerSessionView)
  session(@CurrentAuth() auth: AuthContext): Promise<RunnerSessionView> {
    return this.getSession.execute({ auth });
  }

  @Post('heartbeat')
  @RequireRunner()
  @ApiOperation({ summary: 'For the runner agent: alive (every 10 s), or stopping (state offline)' })
  @ChangeRoute({ status: 204, takesBody: true })
  heartbeat(@CurrentAuth() auth: AuthContext, @OptionalBody() body: HeartbeatDto): Promise<void> {
    return this.recordHeartbeat.execute({ auth, ...body });
  }
}
