import { isTimeZone, timeZones } from './time-zones';

describe('time zones', () => {
  it('offers the IANA zones the runtime knows, and UTC', () => {
    expect(timeZones()).toEqual(expect.arrayContaining(['UTC', 'Europe/Berlin', 'America/New_York']));
  });

  it('takes IANA zone names as spelt, and UTC', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('europe/berlin')).toBe(false);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
