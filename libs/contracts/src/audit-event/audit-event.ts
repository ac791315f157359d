import type { PrincipalType } from '../principal';

/** One changed field of an audit event: its value before and after; either side may be absent. */
export interface FieldChange {
  before?: unknown;
  after?: unknown;
}

/** What an event changed, by field name (docs/api.md#changes-and-correlationid). */
export type FieldChanges = Record<string, FieldChange>;

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
  /** Optional here because events stored in the stream before it existed lack it; read as null. */
  changes?: FieldChanges | null;
  /** Optional here because events stored in the stream before it existed lack it; read as null. */
  correlationId?: string | null;
}

/** An audit event as the query API returns it. */
export interface AuditRecord extends AuditEvent {
  id: number;
  tenantId: string;
  receivedAt: string;
  changes: FieldChanges | null;
  correlationId: string | null;
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
  'changes',
  'correlationId',
] as const satisfies readonly (keyof AuditRecord)[];
