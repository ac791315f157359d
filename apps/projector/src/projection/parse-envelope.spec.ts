import { streamPosition as recordId } from '@runtrail/persistence';
import { PoisonMessageError, parseEnvelope } from './parse-envelope';

const good = {
  v: 1,
  kind: 'audit',
  tenantId: 'acme',
  submitter: { type: 'Application', id: 'k', name: 'ci' },
  receivedAt: '2026-01-01T00:00:00.000Z',
  events: [{}],
};
const bytes = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

describe('parseEnvelope', () => {
  it('reads a well-formed envelope', () => {
    expect(parseEnvelope(bytes(good), 'acme', 'audit')).toEqual(good);
  });

  it.each<[string, unknown, string, RegExp]>([
    ['not JSON', '{', 'acme', /not JSON/],
    ['a JSON string', '"x"', 'acme', /not an object/],
    ['an unknown version', { ...good, v: 2 }, 'acme', /version/],
    ['a tenant other than the subject', good, 'other', /tenant/],
    ['no events', { ...good, events: [] }, 'acme', /events/],
    ['no submitter', { ...good, submitter: undefined }, 'acme', /submitter/],
    ['no receivedAt', { ...good, receivedAt: 'x' }, 'acme', /receivedAt/],
  ])('treats %s as poison', (_name, payload, tenant, message) => {
    expect(() => parseEnvelope(bytes(payload), tenant, 'audit')).toThrow(PoisonMessageError);
    expect(() => parseEnvelope(bytes(payload), tenant, 'audit')).toThrow(message);
  });
});

describe('recordId', () => {
  it('grows with the stream sequence and the position in the message', () => {
    expect(recordId(1, 0)).toBe('1024');
    expect(recordId(1, 999)).toBe('2023');
    expect(BigInt(recordId(2, 0))).toBeGreaterThan(BigInt(recordId(1, 999)));
  });
});
