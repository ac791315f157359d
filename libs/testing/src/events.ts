import { randomUUID } from 'node:crypto';

/** A valid audit event, with overrides. */
export function auditEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: randomUUID(),
    happenedAt: '2022-07-07T09:45:32.069Z',
    action: 'Update',
    entityType: 'Project',
    entityId: '1',
    entityName: 'team-a',
    sourceType: 'User',
    sourceId: 'a79500fb-c452-471f-adc0-b65c972bd5c2',
    sourceName: 'test@run.ai',
    context: { user_agent: 'Mozilla/5.0', ip_address: '10.244.0.0' },
    ...overrides,
  };
}
