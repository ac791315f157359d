import { validateBatch } from '../validation/batch';
import { AuditEventDto } from './audit-event.dto';
import { normalizeAuditEvent } from './normalize-audit-event';

const valid = () => ({
  happenedAt: '2022-07-07T09:45:32.069Z',
  action: 'Update',
  entityType: 'Project',
  sourceType: 'User',
  sourceName: 'test@run.ai',
});

function messagesFor(body: unknown): string[] {
  const result = validateBatch(AuditEventDto, body);
  return result.ok ? [] : result.messages;
}

describe('audit event validation', () => {
  it('accepts a minimal event and fills the defaults', () => {
    const result = validateBatch(AuditEventDto, valid());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const event = normalizeAuditEvent(result.items[0]);
    expect(event).toMatchObject({ version: '1.0', success: true, context: {}, entityId: null, sourceId: null });
    expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a given eventId and puts happenedAt in UTC with milliseconds', () => {
    const id = 'AE2C3B4D-1111-4222-8333-444455556666';
    const result = validateBatch(AuditEventDto, { ...valid(), eventId: id, happenedAt: '2022-07-07T11:45:32+02:00' });
    if (!result.ok) throw new Error(result.messages.join());
    const event = normalizeAuditEvent(result.items[0]);
    expect(event.eventId).toBe(id.toLowerCase());
    expect(event.happenedAt).toBe('2022-07-07T09:45:32.000Z');
  });

  it('accepts the standard actions and other capitalised words', () => {
    for (const action of ['Create', 'Update', 'Delete', 'Login', 'Logout', 'Rotate']) {
      expect(messagesFor({ ...valid(), action })).toEqual([]);
    }
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['eventId not a UUID', { eventId: 'abc' }, /^eventId must be a UUID/],
    ['happenedAt without zone', { happenedAt: '2022-07-07T09:45:32' }, /^happenedAt must be an ISO-8601 date-time with a zone/],
    ['happenedAt more than 5 minutes ahead', { happenedAt: new Date(Date.now() + 6 * 60_000).toISOString() }, /^happenedAt .*5 minutes/],
    ['happenedAt a number', { happenedAt: 1657187132069 }, /^happenedAt/],
    ['action lower case', { action: 'update' }, /^action must be/],
    ['action too long', { action: `A${'a'.repeat(32)}` }, /^action must be/],
    ['entityType with a space', { entityType: 'My Project' }, /^entityType must match/],
    ['sourceType unknown', { sourceType: 'Robot' }, /^sourceType must be User or Application/],
    ['sourceName empty', { sourceName: '' }, /^sourceName must be longer/],
    ['sourceName over 256', { sourceName: 'x'.repeat(257) }, /^sourceName must be shorter/],
    ['entityName over 256', { entityName: 'x'.repeat(257) }, /^entityName must be shorter/],
    ['success as a string', { success: 'true' }, /^success must be a boolean/],
    ['context as an array', { context: ['a'] }, /^context must be an object of string values/],
    ['context with 17 keys', { context: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }, /^context must have at most 16 keys/],
    ['context over 4 KiB', { context: { a: 'x'.repeat(1000), b: 'x'.repeat(1000), c: 'x'.repeat(1000), d: 'x'.repeat(1000), e: 'x'.repeat(200) } }, /^context must be at most 4096 bytes/],
    ['context value not a string', { context: { n: 1 } }, /^context\.n must be a string/],
    ['user_agent over 1024', { context: { user_agent: 'x'.repeat(1025) } }, /^context\.user_agent must be at most 1024/],
    ['ip_address not an address', { context: { ip_address: '10.0.0.300' } }, /^context\.ip_address must be a valid IPv4 or IPv6/],
    ['unknown field', { tenantId: 'other' }, /^tenantId is not a known field$/],
    ['NUL in a value', { entityName: 'a\u0000b' }, /^entityName must not contain NUL/],
    ['NUL in a context value', { context: { user_agent: 'a\u0000' } }, /^context\.user_agent must not contain NUL/],
  ])('refuses %s, naming the field', (_name, override, pattern) => {
    const messages = messagesFor({ ...valid(), ...override });
    expect(messages.some((m) => pattern.test(m))).toBe(true);
  });

  it('accepts IPv6 addresses in context.ip_address', () => {
    expect(messagesFor({ ...valid(), context: { ip_address: '2001:db8::1' } })).toEqual([]);
  });

  it.each(['happenedAt', 'action', 'entityType', 'sourceType', 'sourceName'])('requires %s', (field) => {
    const event: Record<string, unknown> = valid();
    delete event[field];
    expect(messagesFor(event).some((m) => m.startsWith(field))).toBe(true);
  });

  it('prefixes messages about array items with their 0-based index', () => {
    const messages = messagesFor([valid(), valid(), valid(), { ...valid(), happenedAt: 'soon' }]);
    expect(messages).toEqual([expect.stringMatching(/^\[3\]\.happenedAt must be an ISO-8601 date-time with a zone/)]);
  });

  it('is all or nothing: one bad item fails the batch', () => {
    const result = validateBatch(AuditEventDto, [valid(), { ...valid(), action: 'x' }]);
    expect(result.ok).toBe(false);
  });

  it('takes 1 to 1000 items', () => {
    expect(messagesFor([])).toEqual(['body must be one object or an array of 1 to 1000 objects']);
    expect(messagesFor(Array.from({ length: 1001 }, valid))).toEqual(['body must be one object or an array of 1 to 1000 objects']);
    expect(validateBatch(AuditEventDto, Array.from({ length: 1000 }, valid)).ok).toBe(true);
  });

  it('refuses items that are not objects', () => {
    expect(messagesFor([valid(), 'x', null])).toEqual(['[1] must be an object', '[2] must be an object']);
    expect(messagesFor(42)).toEqual(['body must be a JSON object or an array of objects']);
  });
});
