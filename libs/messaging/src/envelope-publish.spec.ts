import { partitionOf } from '@runtrail/contracts';
import { MAX_ENVELOPE_BYTES, serializeEvents, toPublishRequests } from './envelope-publish';

const header = {
  kind: 'audit' as const,
  tenantId: 'acme',
  submitter: { type: 'Application' as const, id: 'k1', name: 'ci' },
  receivedAt: '2026-01-01T00:00:00.000Z',
};
const event = (i: number, size = 100) => ({ eventId: `id-${i}`, payload: 'x'.repeat(size) });

describe('toPublishRequests', () => {
  it('stores a request in one message carrying tenant, submitter and events', () => {
    const [only, ...rest] = toPublishRequests('ns', header, serializeEvents([event(1), event(2)]));
    expect(rest).toEqual([]);
    expect(only.subject).toBe(`ns.part.${partitionOf('acme')}.acme.audit`);
    const envelope = JSON.parse(Buffer.from(only.data).toString());
    expect(envelope).toEqual({ v: 1, ...header, events: [event(1), event(2)] });
  });

  it('derives the message id from tenant, kind and content, so only a retried identical request deduplicates', () => {
    const a = toPublishRequests('s', header, serializeEvents([event(1), event(2)]))[0].msgID;
    expect(toPublishRequests('s', { ...header, receivedAt: 'later' }, serializeEvents([event(1), event(2)]))[0].msgID).toBe(a);
    expect(toPublishRequests('s', header, serializeEvents([event(1), event(3)]))[0].msgID).not.toBe(a);
    expect(toPublishRequests('s', { ...header, tenantId: 'other' }, serializeEvents([event(1), event(2)]))[0].msgID).not.toBe(a);
    // a run's end report has the same id as its start report, and must not be taken for a retry of it
    const start = { id: 'run-1', status: 'running' };
    const end = { id: 'run-1', status: 'successful' };
    expect(toPublishRequests('s', header, serializeEvents([start]))[0].msgID).not.toBe(toPublishRequests('s', header, serializeEvents([end]))[0].msgID);
  });

  it('splits a request too large for one NATS message, keeping every event once and in order', () => {
    const events = Array.from({ length: 1000 }, (_, i) => event(i, 1000));
    const requests = toPublishRequests('s', header, serializeEvents(events));
    expect(requests.length).toBeGreaterThan(1);
    for (const r of requests) expect(r.data.length).toBeLessThanOrEqual(MAX_ENVELOPE_BYTES);
    const back = requests.flatMap((r) => JSON.parse(Buffer.from(r.data).toString()).events);
    expect(back).toEqual(events);
    expect(new Set(requests.map((r) => r.msgID)).size).toBe(requests.length);
  });
});
