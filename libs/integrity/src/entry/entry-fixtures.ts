import type { AuditEvent } from '@runtrail/contracts';

/** An audit event with a personal value in every kind of personal field, for the specs of this folder. */
export const PERSONAL_EVENT: AuditEvent = {
  eventId: '0b8e2a52-3c1f-4f7e-9a55-5a1f6f0d9e11',
  happenedAt: '2026-11-30T10:00:00.000Z',
  action: 'Update',
  version: '1.0',
  entityType: 'User',
  entityId: 'u-4711',
  entityName: 'alice@example.com',
  sourceType: 'User',
  sourceId: 'admin-7',
  sourceName: 'Bob Builder',
  success: true,
  context: { ip_address: '203.0.113.9', user_agent: 'Mozilla/5.0' },
  changes: { email: { before: 'alice@old.example', after: 'alice@example.com' }, quota: { after: 5 } },
  correlationId: '4711',
};
