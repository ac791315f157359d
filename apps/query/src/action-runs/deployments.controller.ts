import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import type { Request, Response } from 'express';
import { KeysetPages } from '../paging/keyset-pages';
import { readListQuery, sendPage } from '../paging/list-response';
import { toDeploymentFilter } from './action-run-filter';
import { DeploymentQueryDto } from './action-run-query.dto';
import { DeploymentView } from './action-run-views';
import { DeploymentRepository } from './action-run.repository';

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
  @ApiOkResponse({ type: DeploymentView, isArray: true })
  async list(
    @CurrentAuth() auth: AuthContext,
    @Query() _documented: DeploymentQueryDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { query, paging } = readListQuery(req, DeploymentQueryDto);
    sendPage(req, res, paging, await this.pages.page(this.deployments, auth, toDeploymentFilter(query), paging));
  }
}
