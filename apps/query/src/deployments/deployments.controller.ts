import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import type { Deployment } from '@runtrail/persistence';
import { KeysetPages } from '../shared/paging/keyset-pages';
import type { Page } from '../shared/paging/page';
import { toPaging } from '../shared/paging/paging-params.dto';
import { ListRoute } from '../shared/routes/route-kinds';
import { toDeploymentFilter } from './deployment-filter';
import { DeploymentQueryDto } from './deployment-query.dto';
import { DeploymentView } from './deployment-view';
import { DeploymentRepository } from './deployment.repository';

@ApiBearerAuth()
@Controller('v1/deployments')
export class DeploymentsController {
  constructor(
    private readonly pages: KeysetPages,
    private readonly deployments: DeploymentRepository,
  ) {}

  @Get()
  @RequireScopes('audit:read')
  @ApiOperation({
    summary: 'What version is deployed where: one row per workspace x block x version, most recent first',
    description: 'Counts successful runs unless `status` says otherwise.',
  })
  @ListRoute(DeploymentView)
  list(@CurrentAuth() auth: AuthContext, @Query() query: DeploymentQueryDto): Promise<Page<Deployment>> {
    const { paging } = toPaging(query);
    return this.pages.page(this.deployments, auth, toDeploymentFilter(query), paging);
  }
}
