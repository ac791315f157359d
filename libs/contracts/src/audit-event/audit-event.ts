import type { PrincipalType } from '../principal';

/** An audit event after validation and normalisation, as carried in the stream. */
export interface AuditEvent {
  eventId: string;
  happenedAt: string;
  action: string;
  version: string;
  entityType: string;
  entityId: string | null;
  entityName: string | null;
  sourceType: PrincipalType;
  sourceId: string | null;
  sourceName: string;
  success: boolean;
  context: Record<string, string>;
}

/** An audit event as the query API returns it. */
export interface AuditRecord extends AuditEvent {
  id: number;
  tenantId: string;
  receivedAt: string;
}

export const AUDIT_RECORD_FIELDS = [
  'id',
  'eventId',
  'tenantId',
  'happenedAt',
  'action',
  'version',
  'entityId',
  'entityType',
  'entityName',
  'sourceType',
  'sourceId',
  'sourceName',
  'success',
  'context',
  'receivedAt',
] as const satisfies readonly (keyof AuditRecord)[];
