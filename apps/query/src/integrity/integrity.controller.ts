import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import type { Request, Response } from 'express';
import type { LineFile } from '../shared/downloads/line-file';
import { KeysetPages } from '../shared/paging/keyset-pages';
import type { Page } from '../shared/paging/page';
import { toPaging } from '../shared/paging/paging-params.dto';
import { FileRoute, ListRoute, ReadRoute, RecordRoute } from '../shared/routes/route-kinds';
import { CheckpointRepository } from './checkpoint.repository';
import { consistencySizes, proofSize, toCheckpointFilter, toEntryFilter, toLogRange } from './integrity-filters';
import { CheckpointsQueryDto, ConsistencyQueryDto, EntriesQueryDto, LogRangeQueryDto, LogTenantDto, ProofQueryDto } from './integrity-query.dto';
import { CheckpointView, ConsistencyProofView, InclusionProofView, LogEntryView, LogVerificationView, PublicKeyView } from './integrity-views';
import { LogEntryRepository } from './log-entry.repository';
import { logReader, logTenant } from './log-tenant';
import { GetCheckpoint } from './usecases/get-checkpoint/get-checkpoint.usecase';
import { GetConsistencyProof } from './usecases/get-consistency-proof/get-consistency-proof.usecase';
import { GetInclusionProof } from './usecases/get-inclusion-proof/get-inclusion-proof.usecase';
import { GetPublicKey } from './usecases/get-public-key/get-public-key.usecase';
import { ExportLog } from './verification/export-log.usecase';
import { VerifyLog } from './verification/verify-log.usecase';

/** Each tenant's integrity log (docs/api.md#integrity-log): its keys, signed checkpoints, entries and proofs. */
@ApiBearerAuth()
@Controller('v1/integrity')
export class IntegrityController {
  constructor(
    private readonly pages: KeysetPages,
    private readonly checkpoints: CheckpointRepository,
    private readonly entries: LogEntryRepository,
    private readonly getPublicKey: GetPublicKey,
    private readonly getCheckpoint: GetCheckpoint,
    private readonly getInclusionProof: GetInclusionProof,
    private readonly getConsistencyProof: GetConsistencyProof,
    private readonly verifyLog: VerifyLog,
    private readonly exportLog: ExportLog,
  ) {}

  @Get('public-key')
  @RequireScopes('audit:read')
  @ApiOperation({ summary: "The Ed25519 key that signs the log's checkpoints, as a signed-note verifier key; earlier keys in previous" })
  @ReadRoute(PublicKeyView)
  publicKey(@CurrentAuth() auth: AuthContext, @Query() q: LogTenantDto): Promise<PublicKeyView> {
    return this.getPublicKey.execute({ tenantId: logTenant(auth, q.tenant) });
  }

  @Get('checkpoint')
  @RequireScopes('audit:read')
  @ApiOperation({
    summary: 'The latest signed checkpoint: the note as text/plain, or JSON with Accept: application/json',
    description: '404 until the first checkpoint (an empty log has none)',
  })
  // Above RecordRoute, so that its 200 (one JSON type) gives way to the two forms.
  @ApiOkResponse({
    description: 'The C2SP checkpoint note (text/plain, the default), or the checkpoint as JSON',
    content: { 'text/plain': { schema: { type: 'string' } }, 'application/json': { schema: { $ref: getSchemaPath(CheckpointView) } } },
  })
  @RecordRoute(CheckpointView)
  @ApiExtraModels(CheckpointView)
  async checkpoint(
    @CurrentAuth() auth: AuthContext,
    @Query() q: LogTenantDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CheckpointView | string> {
    const checkpoint = await this.getCheckpoint.execute({ tenantId: logTenant(auth, q.tenant) });
    res.vary('Accept');
    if (req.accepts(['text/plain', 'application/json']) === 'application/json') return checkpoint;
    res.type('text/plain; charset=utf-8');
    return checkpoint.note;
  }

  @Get('checkpoints')
  @RequireScopes('audit:read')
  @ApiOperation({ summary: "The log's signed checkpoints, newest (largest) first; start/end bound the size (integers) or issuedAt (dates)" })
  @ListRoute(CheckpointView)
  listCheckpoints(@CurrentAuth() auth: AuthContext, @Query() q: CheckpointsQueryDto): Promise<Page<CheckpointView>> {
    const { paging } = toPaging(q);
    return this.pages.page(this.checkpoints, logReader(auth, q.tenant), toCheckpointFilter(q), paging);
  }

  @Get('entries')
  @RequireScopes('audit:read')
  @ApiOperation({ summary: "The log's entries, oldest (index 0) first; start inclusive, end exclusive; ref finds an event's or a run's entries" })
  @ListRoute(LogEntryView)
  listEntries(@CurrentAuth() auth: AuthContext, @Query() q: EntriesQueryDto): Promise<Page<LogEntryView>> {
    const { paging } = toPaging(q);
    return this.pages.page(this.entries, logReader(auth, q.tenant), toEntryFilter(q), paging);
  }

  @Get('proof')
  @RequireScopes('audit:read')
  @ApiOperation({
    summary: "An entry's inclusion proof in the tree of a checkpointed size (default: the latest checkpoint), with that checkpoint's note",
    description: '404 for an unknown entry or an unsigned size; 409 when the checkpoint does not cover the entry yet',
  })
  @RecordRoute(InclusionProofView)
  @ApiResponse({ status: 409, description: 'The checkpoint does not cover the entry (it came after)' })
  proof(@CurrentAuth() auth: AuthContext, @Query() q: ProofQueryDto): Promise<InclusionProofView> {
    return this.getInclusionProof.execute({ tenantId: logTenant(auth, q.tenant), entryId: q.entry_id, size: proofSize(q) });
  }

  @Get('consistency')
  @RequireScopes('audit:read')
  @ApiOperation({ summary: 'The consistency proof between two checkpointed sizes: the later tree extends the earlier one' })
  @RecordRoute(ConsistencyProofView)
  consistency(@CurrentAuth() auth: AuthContext, @Query() q: ConsistencyQueryDto): Promise<ConsistencyProofView> {
    return this.getConsistencyProof.execute({ tenantId: logTenant(auth, q.tenant), ...consistencySizes(q) });
  }

  @Get('verify')
  @RequireScopes('audit:read')
  @ApiOperation({
    summary: "Checks the log against the rows readers see, its checkpoints and the merged runs; names the first problem",
    description:
      'Rebuilds each entry of [start, end) from the rows the query API answers from, checks it against the leaf the log stored, ' +
      "every checkpoint's signature and root, and every merged run against the merge of its reports (docs/integrity.md#verification).",
  })
  @ReadRoute(LogVerificationView)
  verify(@CurrentAuth() auth: AuthContext, @Query() q: LogRangeQueryDto): Promise<LogVerificationView> {
    return this.verifyLog.execute({ tenantId: logTenant(auth, q.tenant), ...toLogRange(q) });
  }

  @Get('export')
  @RequireScopes('audit:read')
  @ApiOperation({
    summary: 'The log as an NDJSON file that runtrail verify checks offline: entries rebuilt from the rows, the hashes before them, the checkpoints over them',
  })
  @FileRoute('application/x-ndjson', 'NDJSON (docs/integrity.md#the-export-file), as an attachment')
  export(@CurrentAuth() auth: AuthContext, @Query() q: LogRangeQueryDto): Promise<LineFile> {
    return this.exportLog.execute({ tenantId: logTenant(auth, q.tenant), ...toLogRange(q) });
  }
}
