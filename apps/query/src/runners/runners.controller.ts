import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import type { Page } from '../shared/paging/page';
import { PageParamsDto, toPaging } from '../shared/paging/paging-params.dto';
import { ChangeRoute, ListRoute } from '../shared/routes/route-kinds';
import { CreateRunnerDto } from './create-runner.dto';
import { CreatedRunnerView, RunnerView } from './runner-views';
import { RequireTenantKey } from './tenant-key';
import { ListRunners } from './usecases/list-runners/list-runners.usecase';
import { RegisterRunner } from './usecases/register-runner/register-runner.usecase';
import { RemoveRunner } from './usecases/remove-runner/remove-runner.usecase';

@ApiBearerAuth()
@Controller('v1/runners')
export class RunnersController {
  constructor(
    private readonly registerRunner: RegisterRunner,
    private readonly listRunners: ListRunners,
    private readonly removeRunner: RemoveRunner,
  ) {}

  @Post()
  @RequireScopes('runners:manage')
  @RequireTenantKey()
  @ApiOperation({ summary: 'Register a runner; its token is in this answer only' })
  @ChangeRoute({ status: 201, answer: CreatedRunnerView, takesBody: true })
  register(@CurrentAuth() auth: AuthContext, @Body() body: CreateRunnerDto): Promise<CreatedRunnerView> {
    return this.registerRunner.execute({ auth, ...body });
  }

  @Get()
  @RequireScopes('runners:manage')
  @ApiOperation({ summary: "The tenant's runners, newest first, with their presence" })
  @ListRoute(RunnerView)
  list(@CurrentAuth() auth: AuthContext, @Query() query: PageParamsDto): Promise<Page<RunnerView>> {
    return this.listRunners.execute({ auth, paging: toPaging(query).paging });
  }

  @Delete(':id')
  @RequireScopes('runners:manage')
  @ApiOperation({ summary: 'Remove a runner; its token is refused from then on' })
  @ChangeRoute({ status: 204, onRecord: true })
  remove(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    return this.removeRunner.execute({ auth, runnerId: id });
  }
}
