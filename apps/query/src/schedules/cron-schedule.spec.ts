import { InvalidInputError } from '@runtrail/platform';
import { CronSchedule } from './cron-schedule';

// When a schedule fires, daylight saving included, is @runtrail/cron's rule and tested there;
// this spec covers what the service adds: validation with the API's messages.
describe('CronSchedule', () => {
  it('gives the fire times of the expression in its zone, ending before until', () => {
    const schedule = CronSchedule.parse('30 2 * * *', 'Europe/Berlin');
    // 2027-03-28 skips 02:00-03:00 in Berlin: 02:30 fires at 03:00 CEST.
    expect(schedule.nextAfter(Date.parse('2027-03-27T12:00:00.000Z'))).toBe(Date.parse('2027-03-28T01:00:00.000Z'));
    expect(schedule.nextAfter(Date.parse('2027-03-27T12:00:00.000Z'), Date.parse('2027-03-28T01:00:00.000Z'))).toBeNull();
  });

  describe('validation', () => {
    it.each([
      ['0 0 * * * *', /^cron must be five fields .*, not 6$/],
      ['* * * *', /^cron must be five fields .*, not 4$/],
      ['61 * * * *', /Invalid value for minute: 61/],
      ['5/5 * * * *', /stepping with numeric prefix/],
      ['@reboot', /@reboot is not supported/],
      ['x'.repeat(129), /cron must be at most 128 characters/],
    ])('refuses %j with a message saying what is wrong', (cron, message) => {
      expect(() => CronSchedule.parse(cron, 'UTC')).toThrow(InvalidInputError);
      expect(() => CronSchedule.parse(cron, 'UTC')).toThrow(message);
    });

    it('refuses a zone that is not an IANA name as spelt, or UTC', () => {
      expect(() => CronSchedule.parse('0 3 * * *', 'europe/berlin')).toThrow('timezone must be an IANA time zone name such as Europe/Berlin, or UTC');
      expect(() => CronSchedule.parse('0 3 * * *', 'Mars/Olympus')).toThrow('timezone must be an IANA time zone name such as Europe/Berlin, or UTC');
      expect(CronSchedule.parse('0 3 * * *', 'UTC').timezone).toBe('UTC');
    });
  });
});
