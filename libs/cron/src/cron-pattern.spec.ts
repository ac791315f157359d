import { CronPatternError, nextFireAfter, parseCronPattern } from './cron-pattern';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The next `n` fire times after `from`, each found from the one before. */
function fires(cron: string, zone: string, from: string, n: number, until: string | null = null): (string | null)[] {
  const pattern = parseCronPattern(cron);
  const out: (string | null)[] = [];
  let after = at(from);
  for (let i = 0; i < n; i++) {
    const next = nextFireAfter(pattern, zone, after, until === null ? null : at(until));
    out.push(iso(next));
    if (next === null) break;
    after = next;
  }
  return out;
}

describe('nextFireAfter', () => {
  describe('in UTC and in a zone without daylight saving', () => {
    it('fires at the wall-clock times of the expression, strictly after the given instant', () => {
      expect(fires('0 3 * * *', 'UTC', '2026-03-01T03:00:00.000Z', 2)).toEqual(['2026-03-02T03:00:00.000Z', '2026-03-03T03:00:00.000Z']);
      expect(fires('* * * * *', 'UTC', '2026-03-01T10:00:30.250Z', 2)).toEqual(['2026-03-01T10:01:00.000Z', '2026-03-01T10:02:00.000Z']);
      // Tokyo is UTC+9 all year: 03:00 there is 18:00Z the day before.
      expect(fires('0 3 * * 1', 'Asia/Tokyo', '2026-03-01T00:00:00.000Z', 2)).toEqual(['2026-03-01T18:00:00.000Z', '2026-03-08T18:00:00.000Z']);
    });

    it('finds a rare match, and answers null for an expression that never matches', () => {
      expect(fires('0 0 29 2 *', 'UTC', '2026-03-01T00:00:00.000Z', 1)).toEqual(['2028-02-29T00:00:00.000Z']);
      expect(fires('0 0 30 2 *', 'UTC', '2026-03-01T00:00:00.000Z', 1)).toEqual([null]);
    });
  });

  describe('across daylight saving in Europe/Berlin', () => {
    it('fires a wall time that does not exist (2027-03-28 skips 02:00-03:00) once, at 03:00 local', () => {
      expect(fires('30 2 * * *', 'Europe/Berlin', '2027-03-27T12:00:00.000Z', 2)).toEqual(['2027-03-28T01:00:00.000Z', '2027-03-29T00:30:00.000Z']);
      // The same for expressions croner itself would skip in the gap (a list of hours, of minutes).
      expect(fires('30 2,14 * * *', 'Europe/Berlin', '2027-03-27T20:00:00.000Z', 2)).toEqual(['2027-03-28T01:00:00.000Z', '2027-03-28T12:30:00.000Z']);
      expect(fires('0,30 2 * * *', 'Europe/Berlin', '2027-03-27T12:00:00.000Z', 3)).toEqual(['2027-03-28T01:00:00.000Z', '2027-03-29T00:00:00.000Z', '2027-03-29T00:30:00.000Z']);
      // Several wall times in the gap meet at its end and fire once there.
      expect(fires('*/20 * * * *', 'Europe/Berlin', '2027-03-28T00:30:00.000Z', 3)).toEqual(['2027-03-28T00:40:00.000Z', '2027-03-28T01:00:00.000Z', '2027-03-28T01:20:00.000Z']);
    });

    it('fires a wall time that exists twice (2026-10-25 repeats 02:00-03:00) once, at its first occurrence', () => {
      expect(fires('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00.000Z', 2)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
      // Every half hour: the repeated 02:00 and 02:30 (01:00Z, 01:30Z) do not fire again.
      expect(fires('0,30 * * * *', 'Europe/Berlin', '2026-10-24T23:45:00.000Z', 4)).toEqual([
        '2026-10-25T00:00:00.000Z',
        '2026-10-25T00:30:00.000Z',
        '2026-10-25T02:00:00.000Z',
        '2026-10-25T02:30:00.000Z',
      ]);
    });

    it('does not fire again when asked from inside the repeated hour', () => {
      // 01:15Z is 02:15 the second time; 02:30 already happened at 00:30Z.
      expect(fires('30 2 * * *', 'Europe/Berlin', '2026-10-25T01:15:00.000Z', 1)).toEqual(['2026-10-26T01:30:00.000Z']);
    });
  });

  describe('until', () => {
    it('ends the schedule: a fire time at or after until does not fire', () => {
      expect(fires('0 * * * *', 'UTC', '2026-03-01T09:30:00.000Z', 4, '2026-03-01T12:00:00.000Z')).toEqual(['2026-03-01T10:00:00.000Z', '2026-03-01T11:00:00.000Z', null]);
      expect(fires('0 * * * *', 'UTC', '2026-03-01T09:30:00.000Z', 1, '2026-03-01T12:00:00.001Z').length).toBe(1);
    });
  });
});

describe('parseCronPattern', () => {
  it("accepts croner's five-field extensions and nicknames", () => {
    expect(fires('@weekly', 'UTC', '2026-03-02T00:00:00.000Z', 1)).toEqual(['2026-03-08T00:00:00.000Z']);
    expect(fires('0 0 L * *', 'UTC', '2026-03-02T00:00:00.000Z', 1)).toEqual(['2026-03-31T00:00:00.000Z']);
    expect(fires('0 9 * * MON#1', 'UTC', '2026-03-02T00:00:00.000Z', 1)).toEqual(['2026-03-02T09:00:00.000Z']);
  });

  it.each([
    ['0 0 * * * *', /requires exactly 5 parts/],
    ['61 * * * *', /^Invalid value for minute: 61/],
    ['@reboot', /@reboot is not supported/],
  ])("refuses %j with croner's reason, without its prefix", (cron, message) => {
    expect(() => parseCronPattern(cron)).toThrow(CronPatternError);
    expect(() => parseCronPattern(cron)).toThrow(message);
  });
});
