import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import { AllowViewer, CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import type { AuditRecord } from '@runtrail/contracts';
import { Metrics } from '@runtrail/platform';
import { Download } from '../shared/downloads/download';
import { exportFile } from '../shared/downloads/export-file';
import { KeysetPages } from '../shared/paging/keyset-pages';
import type { Page } from '../shared/paging/page';
import { toPaging } from '../shared/paging/paging-params.dto';
import { ListRoute } from '../shared/routes/route-kinds';
import { AuditEventRepository } from './audit-event.repository';
import { toAuditFilter } from './audit-filter';
import { AuditQueryDto } from './audit-query.dto';
import { AuditRecordDto } from './audit-record.dto';

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
  @AllowViewer()
  @ApiOperation({
    summary: 'The audit timeline, newest first (also at /v1/k8s/audit)',
    description:
      'Pages with limit/offset or the cursor of the `Link: rel="next"` header. download=true answers the whole ' +
      'matching set as a JSON or CSV file. A viewer token reads its tenant only, and only its source when it has one.',
  })
  @ListRoute(AuditRecordDto, { download: true })
  audit(@CurrentAuth() auth: AuthContext, @Query() query: AuditQueryDto): Promise<Page<AuditRecord>> | Download {
    const { paging, download } = toPaging(query);
    // Viewer tokens are many and short-lived: counted together, so the label stays bounded.
    this.reads.inc({ key_id: auth.viewer ? 'viewer' : auth.keyId, tenant: auth.tenantId ?? '*' });
    const filter = toAuditFilter(query, auth);
    if (download) return new Download(exportFile(this.events, auth.tenantId, filter, download), download, 'audit');
    return this.pages.page(this.events, auth, filter, paging);
  }
}
