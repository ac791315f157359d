import { Body, Controller, Get, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import { ChangeRoute, ReadRoute } from '../shared/routes/route-kinds';
import { OptionalBody } from '../shared/validation/optional-body.decorator';
import { ApplyRetentionDto, RetentionQueryDto, SetRetentionDto } from './retention.dto';
import { RetentionAppliedDto, RetentionViewDto } from './retention-views';
import { ApplyRetention } from './usecases/apply-retention/apply-retention.usecase';
import { GetRetention } from './usecases/get-retention/get-retention.usecase';
import { SetRetention } from './usecases/set-retention/set-retention.usecase';

@ApiBearerAuth()
@Controller('v1/retention')
export class RetentionController {
  constructor(
    private readonly getRetention: GetRetention,
    private readonly setRetention: SetRetention,
    private readonly applyRetention: ApplyRetention,
  ) {}

  @Get()
  @RequireScopes('admin')
  @ApiOperation({ summary: "The tenant's retention policy and how far it has removed the log", description: 'The root key names the tenant with tenantId' })
  @ReadRoute(RetentionViewDto)
  get(@CurrentAuth() auth: AuthContext, @Query() query: RetentionQueryDto): Promise<RetentionViewDto> {
    return this.getRetention.execute({ auth, tenantId: query.tenantId });
  }

  @Put()
  @RequireScopes('admin')
  @ApiOperation({
    summary: 'Set how many days entries are kept, and the legal hold',
    description: 'Entries received more than `days` ago are removed every RETENTION_INTERVAL_SECONDS, unless legalHold is true; a field left out keeps its value. The change is a timeline entry (entityType Retention).',
  })
  @ChangeRoute({ status: 200, answer: RetentionViewDto, takesBody: true })
  set(@CurrentAuth() auth: AuthContext, @Body() body: SetRetentionDto, @Query() query: RetentionQueryDto): Promise<RetentionViewDto> {
    return this.setRetention.execute({ auth, body: { ...body, tenantId: body.tenantId ?? query.tenantId } });
  }

  @Post('apply')
  @RequireScopes('admin')
  @ApiOperation({
    summary: 'Remove now what the retention policy lets go',
    description:
      'From the query tables and the stream; the integrity log keeps the leaf hashes, so checkpoints and proofs stay valid (docs/retention.md). ' +
      'Under legal hold, or with days 0, nothing is removed. The removal is a timeline entry (entityType Retention).',
  })
  @ChangeRoute({ status: 202, answer: RetentionAppliedDto, takesBody: true })
  apply(@CurrentAuth() auth: AuthContext, @OptionalBody() body: ApplyRetentionDto, @Query() query: RetentionQueryDto): Promise<RetentionAppliedDto> {
    return this.applyRetention.execute({ auth, tenantId: body.tenantId ?? query.tenantId });
  }
}
