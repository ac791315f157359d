import { describe, expect, it } from 'vitest';
import { describeCron, previewCron } from './cron';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const next = (cron: string, timezone: string, from: string, until?: string) => {
  const preview = previewCron(cron, timezone, new Date(from), until ? new Date(until) : undefined);
  if (!preview.ok) throw new Error(preview.error);
  return iso(preview.next);
};

describe('cron preview', () => {
  it('reads an expression in words', () => {
    expect(describeCron('30 2 * * 0')).toBe('At 02:30, only on Sunday');
    expect(describeCron('*/15 9-17 * * 1-5')).toBe('Every 15 minutes, between 09:00 and 17:59, Monday through Friday');
    expect(describeCron('nonsense')).toBeNull();
  });

  it('gives the next three fire times in the schedule’s zone, after a fixed now', () => {
    const preview = previewCron('30 2 * * 0', 'Europe/Berlin', new Date('2026-11-30T12:00:00Z'));
    expect(preview).toEqual({ ok: true, reading: 'At 02:30, only on Sunday', next: expect.any(Array) as unknown });
    expect(iso(preview.ok ? preview.next : [])).toEqual(['2026-12-06T01:30:00.000Z', '2026-12-13T01:30:00.000Z', '2026-12-20T01:30:00.000Z']);
    expect(next('30 2 * * 0', 'UTC', '2026-11-30T12:00:00Z')).toEqual(['2026-12-06T02:30:00.000Z', '2026-12-13T02:30:00.000Z', '2026-12-20T02:30:00.000Z']);
    expect(next('0 9 * * *', 'America/New_York', '2026-11-30T12:00:00Z')).toEqual(['2026-11-30T14:00:00.000Z', '2026-12-01T14:00:00.000Z', '2026-12-02T14:00:00.000Z']);
  });

  it('fires a time the clocks skip once, after the gap, and a repeated time once, at its first occurrence', () => {
    // Europe/Berlin skips 02:00-03:00 on 2027-03-28: 02:30 fires at 03:00 CEST (01:00 UTC)
    expect(next('30 2 * * *', 'Europe/Berlin', '2027-03-27T00:00:00Z')).toEqual(['2027-03-27T01:30:00.000Z', '2027-03-28T01:00:00.000Z', '2027-03-29T00:30:00.000Z']);
    // and repeats 02:00-03:00 on 2026-10-25: 02:30 fires once, in summer time (00:30 UTC)
    expect(next('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z')).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z', '2026-10-27T01:30:00.000Z']);
  });

  it('keeps that rule for expressions that are not one fixed time, as the service does', () => {
    // 02:00 and 02:30 are both skipped on 2027-03-28: one firing at 03:00 CEST, not none
    expect(next('0,30 2 * * *', 'Europe/Berlin', '2027-03-27T12:00:00Z')).toEqual(['2027-03-28T01:00:00.000Z', '2027-03-29T00:00:00.000Z', '2027-03-29T00:30:00.000Z']);
    // 02:00 and 02:30 happen twice on 2026-10-25: each fires once, in summer time
    expect(next('0,30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z')).toEqual(['2026-10-25T00:00:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:00:00.000Z']);
  });

  it('stops before until', () => {
    expect(next('0 12 * * *', 'UTC', '2026-11-30T00:00:00Z', '2026-12-01T12:00:00Z')).toEqual(['2026-11-30T12:00:00.000Z']);
  });

  it('refuses what is not five standard fields, saying why', () => {
    expect(previewCron('', 'UTC', new Date())).toEqual({ ok: false, error: 'Write five fields: minute, hour, day of month, month, day of week.' });
    expect(previewCron('0 30 2 * * 0', 'UTC', new Date())).toEqual({ ok: false, error: 'Write five fields: minute, hour, day of month, month, day of week (seconds are not taken).' });
    expect(previewCron('61 * * * *', 'UTC', new Date())).toEqual({ ok: false, error: 'Not a valid cron expression: Invalid value for minute: 61' });
  });
});
