import { describe, expect, it, vi } from 'vitest';
import { defaultTimeZone, timeZones } from './time-zones';

describe('time zones', () => {
  it('offers the IANA zones the runtime knows, and UTC', () => {
    const zones = timeZones();
    expect(zones).toContain('UTC');
    expect(zones).toContain('Europe/Berlin');
    expect(zones).toContain('America/New_York');
  });

  it("defaults to the browser's zone, or UTC when the list lacks it", () => {
    const resolved = Intl.DateTimeFormat().resolvedOptions();
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, 'resolvedOptions');
    spy.mockReturnValue({ ...resolved, timeZone: 'Europe/Berlin' });
    expect(defaultTimeZone(['UTC', 'Europe/Berlin'])).toBe('Europe/Berlin');
    spy.mockReturnValue({ ...resolved, timeZone: 'Asia/Calcutta' });
    expect(defaultTimeZone(['UTC', 'Asia/Kolkata'])).toBe('UTC');
  });
});
