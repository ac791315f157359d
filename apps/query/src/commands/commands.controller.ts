import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import { CurrentAuth, RequireRunner, RequireScopes, type AuthContext } from '@runtrail/auth';
import { COMMAND_STATUSES, type CommandView } from '@runtrail/contracts';
import { IntersectionType } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { KeysetPages } from '../paging/keyset-pages';
import { readListQuery, sendPage } from '../paging/list-response';
import { parseNoQuery } from '../paging/parse-query';
import { PageParamsDto } from '../paging/paging-params.dto';
import { CommandRepository } from './command.repository';
import { CommandsUseCases, type RetriggerResult } from './commands.usecases';
import { CommandListQueryDto, CommandStatusDto, RetriggerDto } from './retrigger.dto';

class CommandsQueryDto extends IntersectionType(CommandListQueryDto, PageParamsDto) {}

class RetriggerResultView implements RetriggerResult {
  @ApiProperty({ format: 'uuid' }) commandId!: string;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ format: 'uuid' }) runnerId!: string;
  @ApiProperty({ enum: ['dispatched', 'queued'] }) status!: 'dispatched' | 'queued';
}

class CommandViewDto implements CommandView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ format: 'uuid' }) runnerId!: string;
  @ApiProperty({ enum: COMMAND_STATUSES }) status!: CommandView['status'];
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ type: 'object', properties: { sourceType: { type: 'string' }, sourceId: { type: 'string', nullable: true }, sourceName: { type: 'string' } } })
  requestedBy!: CommandView['requestedBy'];
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) newRunId!: string | null;
  @ApiProperty({ nullable: true, type: Number }) exitCode!: number | null;
}

@ApiBearerAuth()
@Controller('v1')
export class CommandsController {
  constructor(
    private readonly commands: CommandsUseCases,
    private readonly repository: CommandRepository,
    private readonly pages: KeysetPages,
  ) {}

  @Post('action-runs/:id/retrigger')
  @HttpCode(202)
  @RequireScopes('runs:retrigger')
  @ApiOperation({ summary: 'Run a stored run again on a runner serving its workspace', description: '409 when no runner of the tenant serves the workspace' })
  @ApiBody({ type: RetriggerDto, required: false })
  @ApiAcceptedResponse({ type: RetriggerResultView })
  retrigger(@CurrentAuth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<RetriggerResult> {
    return this.commands.retrigger(auth, id, body);
  }

  @Get('commands/:id')
  @RequireScopes('audit:read')
  @ApiOperation({ summary: 'One command, read from its authoritative state' })
  @ApiOkResponse({ type: CommandViewDto })
  get(@CurrentAuth() auth: AuthContext, @Param('id') id: string, @Req() req: Request): Promise<CommandView> {
    parseNoQuery(req.query as Record<string, unknown>);
    return this.commands.get(auth, id);
  }

  @Get('commands')
  @RequireScopes('audit:read')
  @ApiOperation({ summary: 'Commands, newest first by requestedAt; filters run_id, runner_id, status' })
  @ApiOkResponse({ type: CommandViewDto, isArray: true })
  async list(@CurrentAuth() auth: AuthContext, @Query() _documented: CommandsQueryDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { query, paging } = readListQuery(req, CommandsQueryDto);
    const filter = { runId: query.run_id?.toLowerCase(), runnerId: query.runner_id?.toLowerCase(), status: query.status };
    sendPage(req, res, paging, await this.pages.page(this.repository, auth, filter, paging));
  }

  @Post('commands/:id/accept')
  @RequireRunner()
  @HttpCode(200)
  @ApiOperation({ summary: 'For the runner agent: take a command (409 when taken, expired or done)' })
  @ApiOkResponse({ type: CommandViewDto })
  accept(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<CommandView> {
    return this.commands.accept(auth, id);
  }

  @Post('commands/:id/status')
  @RequireRunner()
  @HttpCode(204)
  @ApiOperation({ summary: 'For the runner agent: running, succeeded or failed (with exitCode and newRunId)' })
  @ApiBody({ type: CommandStatusDto })
  report(@CurrentAuth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<void> {
    return this.commands.report(auth, id, body);
  }
}
