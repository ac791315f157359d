import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import type { StreamStatusView, StreamView } from '@runtrail/contracts';
import { ChangeRoute, ReadRoute } from '../shared/routes/route-kinds';
import { TakesNoQuery } from '../shared/validation/takes-no-query.decorator';
import { UuidIdParams } from '../shared/validation/uuid-id-params';
import { CreateStreamDto } from './create-stream.dto';
import { StreamStatusViewDto, StreamViewDto } from './stream-views';
import { CreateStream } from './usecases/create-stream/create-stream.usecase';
import { DeleteStream } from './usecases/delete-stream/delete-stream.usecase';
import { ListStreams } from './usecases/list-streams/list-streams.usecase';
import { PauseStream } from './usecases/pause-stream/pause-stream.usecase';
import { ResumeStream } from './usecases/resume-stream/resume-stream.usecase';
import { TestStream } from './usecases/test-stream/test-stream.usecase';

@ApiBearerAuth()
@Controller('v1/streams')
export class StreamsController {
  constructor(
    private readonly createStream: CreateStream,
    private readonly listStreams: ListStreams,
    private readonly pauseStream: PauseStream,
    private readonly resumeStream: ResumeStream,
    private readonly testStream: TestStream,
    private readonly deleteStream: DeleteStream,
  ) {}

  @Post()
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Deliver the tenant’s timeline entries to a SIEM, log platform or chat as they arrive', description: 'The root key names the tenant with tenantId' })
  @ChangeRoute({ status: 201, answer: StreamViewDto, takesBody: true })
  create(@CurrentAuth() auth: AuthContext, @Body() body: CreateStreamDto): Promise<StreamView> {
    return this.createStream.execute({ auth, body });
  }

  @Get()
  @RequireScopes('admin')
  @TakesNoQuery()
  @ApiOperation({ summary: 'The streams, oldest first, each with its state, last delivery, last error and lag; secrets are never shown' })
  @ReadRoute(StreamStatusViewDto, { isArray: true })
  list(@CurrentAuth() auth: AuthContext): Promise<StreamStatusView[]> {
    return this.listStreams.execute({ auth });
  }

  @Post(':id/pause')
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Stop delivering until resumed; what arrives meanwhile waits' })
  @ChangeRoute({ status: 200, answer: StreamStatusViewDto, onRecord: true })
  pause(@CurrentAuth() auth: AuthContext, @Param() { id }: UuidIdParams): Promise<StreamStatusView> {
    return this.pauseStream.execute({ auth, streamId: id });
  }

  @Post(':id/resume')
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Deliver again from where the stream stopped' })
  @ChangeRoute({ status: 200, answer: StreamStatusViewDto, onRecord: true })
  resume(@CurrentAuth() auth: AuthContext, @Param() { id }: UuidIdParams): Promise<StreamStatusView> {
    return this.resumeStream.execute({ auth, streamId: id });
  }

  @Post(':id/test')
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Deliver one synthetic record (entityType StreamTest, outside the filter, not stored)' })
  @ChangeRoute({ status: 202, onRecord: true })
  test(@CurrentAuth() auth: AuthContext, @Param() { id }: UuidIdParams): Promise<void> {
    return this.testStream.execute({ auth, streamId: id });
  }

  @Delete(':id')
  @RequireScopes('admin')
  @ApiOperation({ summary: 'End a stream and its delivery' })
  @ChangeRoute({ status: 204, onRecord: true })
  remove(@CurrentAuth() auth: AuthContext, @Param() { id }: UuidIdParams): Promise<void> {
    return this.deleteStream.execute({ auth, streamId: id });
  }
}
