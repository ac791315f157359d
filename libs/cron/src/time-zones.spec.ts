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

  it('takes a link the runtime resolves but does not list, spelt as IANA spells it', () => {
    expect(isTimeZone('Asia/Kolkata')).toBe(true);
    expect(isTimeZone('US/Pacific')).toBe(true);
    expect(isTimeZone('asia/kolkata')).toBe(false);
    expect(isTimeZone('EUROPE/BERLIN')).toBe(false);
    expect(isTimeZone('+01:00')).toBe(false);
  });
});
