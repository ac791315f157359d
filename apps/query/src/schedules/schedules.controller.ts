import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import type { ScheduleView } from '@runtrail/contracts';
import { KeysetPages } from '../shared/paging/keyset-pages';
import type { Page } from '../shared/paging/page';
import { toPaging } from '../shared/paging/paging-params.dto';
import { ChangeRoute, ListRoute, RecordRoute } from '../shared/routes/route-kinds';
import { TakesNoQuery } from '../shared/validation/takes-no-query.decorator';
import { UuidIdParams } from '../shared/validation/uuid-id-params';
import { CreateScheduleDto } from './create-schedule.dto';
import { ScheduleViewDto } from './schedule-views';
import { ScheduleRepository } from './schedule.repository';
import { SchedulesQueryDto } from './schedules-query.dto';
import { CreateSchedule } from './usecases/create-schedule/create-schedule.usecase';
import { DeleteSchedule } from './usecases/delete-schedule/delete-schedule.usecase';
import { GetSchedule } from './usecases/get-schedule/get-schedule.usecase';
import { PauseSchedule } from './usecases/pause-schedule/pause-schedule.usecase';
import { ResumeSchedule } from './usecases/resume-schedule/resume-schedule.usecase';

@ApiBearerAuth()
@Controller('v1/schedules')
export class SchedulesController {
  constructor(
    private readonly pages: KeysetPages,
    private readonly schedules: ScheduleRepository,
    private readonly createSchedule: CreateSchedule,
    private readonly getSchedule: GetSchedule,
    private readonly pauseSchedule: PauseSchedule,
    private readonly resumeSchedule: ResumeSchedule,
    private readonly deleteSchedule: DeleteSchedule,
  ) {}

  @Post()
  @RequireScopes('runs:retrigger')
  @ApiOperation({ summary: 'Re-trigger a stored run on a cron schedule', description: '404 when the run (or the named runner) is not the tenant’s' })
  @ChangeRoute({ status: 201, answer: ScheduleViewDto, takesBody: true, onRecord: true })
  create(@CurrentAuth() auth: AuthContext, @Body() body: CreateScheduleDto): Promise<ScheduleView> {
    return this.createSchedule.execute({ auth, ...body });
  }

  @Get()
  @RequireScopes('audit:read')
  @ApiOperation({ summary: 'Schedules, newest first by createdAt; filter run_id' })
  @ListRoute(ScheduleViewDto)
  list(@CurrentAuth() auth: AuthContext, @Query() query: SchedulesQueryDto): Promise<Page<ScheduleView>> {
    const { paging } = toPaging(query);
    return this.pages.page(this.schedules, auth, { runId: query.run_id?.toLowerCase() }, paging);
  }

  @Get(':id')
  @RequireScopes('audit:read')
  @TakesNoQuery()
  @ApiOperation({ summary: 'One schedule, read from its authoritative state' })
  @RecordRoute(ScheduleViewDto)
  get(@CurrentAuth() auth: AuthContext, @Param() { id }: UuidIdParams): Promise<ScheduleView> {
    return this.getSchedule.execute({ auth, scheduleId: id });
  }

  @Post(':id/pause')
  @RequireScopes('runs:retrigger')
  @ApiOperation({ summary: 'Stop the firings until resumed; pausing a paused schedule changes nothing' })
  @ChangeRoute({ status: 200, answer: ScheduleViewDto, onRecord: true })
  pause(@CurrentAuth() auth: AuthContext, @Param() { id }: UuidIdParams): Promise<ScheduleView> {
    return this.pauseSchedule.execute({ auth, scheduleId: id });
  }

  @Post(':id/resume')
  @RequireScopes('runs:retrigger')
  @ApiOperation({ summary: 'Fire again from the next fire time on; what was missed while paused does not fire' })
  @ChangeRoute({ status: 200, answer: ScheduleViewDto, onRecord: true })
  resume(@CurrentAuth() auth: AuthContext, @Param() { id }: UuidIdParams): Promise<ScheduleView> {
    return this.resumeSchedule.execute({ auth, scheduleId: id });
  }

  @Delete(':id')
  @RequireScopes('runs:retrigger')
  @ApiOperation({ summary: 'End a schedule' })
  @ChangeRoute({ status: 204, onRecord: true })
  remove(@CurrentAuth() auth: AuthContext, @Param() { id }: UuidIdParams): Promise<void> {
    return this.deleteSchedule.execute({ auth, scheduleId: id });
  }
}
