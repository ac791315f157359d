import { cutoffOf } from './retention-store';

describe('cutoffOf', () => {
  const now = Date.parse('2026-03-31T12:00:00.000Z');

  it('is `days` whole days before now', () => {
    expect(cutoffOf({ days: 30, legalHold: false }, now)).toEqual(new Date('2026-03-01T12:00:00.000Z'));
    expect(cutoffOf({ days: 36_500, legalHold: false }, now)?.getUTCFullYear()).toBe(1926);
  });

  it('is none while everything is kept or on legal hold', () => {
    expect(cutoffOf({ days: 0, legalHold: false }, now)).toBeNull();
    expect(cutoffOf({ days: 30, legalHold: true }, now)).toBeNull();
  });
});
