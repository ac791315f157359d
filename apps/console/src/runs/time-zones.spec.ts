import { describe, expect, it, vi } from 'vitest';
import { defaultTimeZone } from './time-zones';

describe('time zones', () => {
  it("defaults to the browser's zone, or UTC when the list lacks it", () => {
    const resolved = Intl.DateTimeFormat().resolvedOptions();
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, 'resolvedOptions');
    spy.mockReturnValue({ ...resolved, timeZone: 'Europe/Berlin' });
    expect(defaultTimeZone(['UTC', 'Europe/Berlin'])).toBe('Europe/Berlin');
    spy.mockReturnValue({ ...resolved, timeZone: 'Asia/Calcutta' });
    expect(defaultTimeZone(['UTC', 'Asia/Kolkata'])).toBe('UTC');
  });
});
