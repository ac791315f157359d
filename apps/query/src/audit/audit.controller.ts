import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import { AUDIT_RECORD_FIELDS } from '@runtrail/contracts';
import { Metrics } from '@runtrail/platform';
import type { Request, Response } from 'express';
import { streamDownload } from '../export/stream-download';
import { toAuditFilter } from './audit-filter';
import { AuditQueryDto } from './audit-query.dto';
import { AuditRecordDto } from './audit-record.dto';
import { KeysetPages } from '../paging/keyset-pages';
import { readListQuery, sendPage } from '../paging/list-response';
import { AuditEventRepository } from './audit-event.repository';

@ApiBearerAuth()
@Controller('v1')
export class AuditController {
  private readonly reads;

  constructor(
    private readonly pages: KeysetPages,
    private readonly events: AuditEventRepository,
    metrics: Metrics,
  ) {
    // Who reads the audit log is itself worth watching; keys are few, so the label is bounded.
    this.reads = metrics.counter('runtrail_audit_reads_total', 'Reads of the audit timeline, per API key', ['key_id', 'tenant']);
  }

  @Get(['audit', 'k8s/audit'])
  @RequireScopes('audit:read')
  @ApiOperation({
    summary: 'The audit timeline, newest first (also at /v1/k8s/audit)',
    description:
      'Pages with limit/offset or the cursor of the `Link: rel="next"` header. download=true answers the whole ' +
      'matching set as a JSON or CSV file.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: AuditRecordDto, isArray: true })
  async audit(
    @CurrentAuth() auth: AuthContext,
    @Query() _documented: AuditQueryDto,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { query, paging, download } = readListQuery(req, AuditQueryDto);
    this.reads.inc({ key_id: auth.keyId, tenant: auth.tenantId ?? '*' });
    const filter = toAuditFilter(query);
    if (download) {
      await streamDownload(res, this.pages.all(this.events, auth, filter), download, 'audit', AUDIT_RECORD_FIELDS);
      return;
    }
    sendPage(req, res, paging, await this.pages.page(this.events, auth, filter, paging));
  }
}
