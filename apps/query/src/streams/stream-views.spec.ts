import type { StreamDefinition, StreamProgress } from './stream-store';
import { streamState, streamStatusView } from './stream-views';

const ERROR_AFTER_MS = 60_000;
const NOW = Date.parse('2026-03-01T12:00:00.000Z');

function definition(paused: boolean): StreamDefinition {
  return {
    id: '3f6c2a1e-8b9d-4c7e-a5f4-1b2c3d4e5f60',
    tenantId: 'acme',
    name: 'siem',
    kind: 'webhook',
    url: 'https://siem.example.com/in',
    filter: {},
    from: 'now',
    startSeq: 1,
    paused,
    createdAt: '2026-03-01T00:00:00.000Z',
    updatedAt: '2026-03-01T00:00:00.000Z',
    createdBy: { type: 'Application', id: 'key-1', name: 'admin key' },
  };
}

/** Progress of a stream whose deliveries have failed for `ms` (null: they succeed). */
function failingFor(ms: number | null): StreamProgress {
  return {
    lastDeliveredAt: '2026-03-01T11:00:00.000Z',
    lastError: ms === null ? null : 'siem.example.com answered 503',
    failingSince: ms === null ? null : new Date(NOW - ms).toISOString(),
  };
}

describe('streamState', () => {
  it('is active while deliveries succeed', () => {
    expect(streamState(definition(false), failingFor(null), ERROR_AFTER_MS, NOW)).toBe('active');
  });

  it('is active for a stream that never delivered yet', () => {
    expect(streamState(definition(false), { lastDeliveredAt: null, lastError: null, failingSince: null }, ERROR_AFTER_MS, NOW)).toBe('active');
  });

  it.each([0, 1, 30_000, ERROR_AFTER_MS - 1])('is active when deliveries have failed for %i ms, less than errorAfter', (ms) => {
    expect(streamState(definition(false), failingFor(ms), ERROR_AFTER_MS, NOW)).toBe('active');
  });

  it.each([ERROR_AFTER_MS, ERROR_AFTER_MS + 1, 24 * 3600_000])('is error when deliveries have failed for %i ms, errorAfter or more', (ms) => {
    expect(streamState(definition(false), failingFor(ms), ERROR_AFTER_MS, NOW)).toBe('error');
  });

  it('goes from active to error as time passes, with nothing else changed', () => {
    const progress = failingFor(0);
    expect(streamState(definition(false), progress, ERROR_AFTER_MS, NOW)).toBe('active');
    expect(streamState(definition(false), progress, ERROR_AFTER_MS, NOW + ERROR_AFTER_MS)).toBe('error');
  });

  it.each([null, 0, ERROR_AFTER_MS - 1, ERROR_AFTER_MS, 24 * 3600_000])('is paused when paused, whatever its deliveries (failing for %p ms)', (ms) => {
    expect(streamState(definition(true), failingFor(ms), ERROR_AFTER_MS, NOW)).toBe('paused');
  });
});

describe('streamStatusView', () => {
  const missed = { entries: 501, at: '2026-03-01T10:00:00.000Z', receivedBefore: '2026-01-30T10:00:00.000Z' };

  it("says in lastError how many entries retention removed before delivery, while deliveries succeed", () => {
    expect(streamStatusView(definition(false), failingFor(null), 'active', 0, missed).lastError).toBe(
      'missed 501 entries that retention removed before delivery (the latest removal at 2026-03-01T10:00:00.000Z, of entries received before 2026-01-30T10:00:00.000Z)',
    );
    expect(streamStatusView(definition(false), failingFor(null), 'active', 0, { ...missed, entries: 1 }).lastError).toMatch(/^missed 1 entry that/);
    expect(streamStatusView(definition(false), failingFor(null), 'active', 0).lastError).toBeNull();
  });

  it('shows a failing delivery first', () => {
    expect(streamStatusView(definition(false), failingFor(1000), 'active', 3, missed).lastError).toBe('siem.example.com answered 503');
  });
});
