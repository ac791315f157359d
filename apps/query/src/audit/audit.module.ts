import { Module } from '@nestjs/common';
import { PagingModule } from '../shared/paging/paging.module';
import { AuditEventRepository } from './audit-event.repository';
import { AuditController } from './audit.controller';

/** The audit timeline: its pages and its download. */
@Module({ imports: [PagingModule], controllers: [AuditController], providers: [AuditEventRepository] })
export class AuditModule {}
