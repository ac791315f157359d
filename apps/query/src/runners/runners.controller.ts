import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { CurrentAuth, RequireRunner, RequireScopes, type AuthContext } from '@runtrail/auth';
import type { Request, Response } from 'express';
import { readListQuery, sendPage } from '../paging/list-response';
import { parseNoQuery } from '../paging/parse-query';
import { PageParamsDto } from '../paging/paging-params.dto';
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
  @ApiBody({ type: CreateRunnerDto })
  @ApiCreatedResponse({ type: CreatedRunnerView })
  register(@CurrentAuth() auth: AuthContext, @Body() body: unknown): Promise<CreatedRunnerView> {
    return this.runners.register(auth, body);
  }

  @Get()
  @RequireScopes('runners:manage')
  @ApiOperation({ summary: "The tenant's runners, newest first, with their presence" })
  @ApiOkResponse({ type: RunnerView, isArray: true })
  async list(@CurrentAuth() auth: AuthContext, @Query() _documented: PageParamsDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { paging } = readListQuery(req, PageParamsDto);
    const page = await this.runners.list(auth, paging);
    const items = page.items.map(({ id, name, workspaces, online, lastSeenAt, hostname, version }) => ({ id, name, workspaces, online, lastSeenAt, hostname, version }));
    sendPage(req, res, paging, { ...page, items });
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes('runners:manage')
  @ApiOperation({ summary: 'Remove a runner; its token is refused from then on' })
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
  @ApiOperation({ summary: 'For the runner agent: who it is and where its commands arrive' })
  @ApiOkResponse({ type: RunnerSessionView })
  session(@CurrentAuth() auth: AuthContext, @Req() req: Request): Promise<RunnerSessionView> {
    parseNoQuery(req.query as Record<string, unknown>);
    return this.runners.session(auth);
  }

  @Post('heartbeat')
  @HttpCode(204)
  @RequireRunner()
  @ApiOperation({ summary: 'For the runner agent: alive (every 10 s), or stopping (state offline)' })
  @ApiBody({ type: HeartbeatDto })
  heartbeat(@CurrentAuth() auth: AuthContext, @Body() body: unknown): Promise<void> {
    return this.runners.heartbeat(auth, body);
  }
}
