import { parseDateBound, parseZonedDateTime } from './dates';

describe('parseZonedDateTime', () => {
  it.each([
    ['2022-07-07T09:45:32.069Z', '2022-07-07T09:45:32.069Z'],
    ['2022-07-07T09:45:32Z', '2022-07-07T09:45:32.000Z'],
    ['2022-07-07T11:45:32.069+02:00', '2022-07-07T09:45:32.069Z'],
    ['2022-07-07T04:15:32-0530', '2022-07-07T09:45:32.000Z'],
    ['2022-07-07T09:45Z', '2022-07-07T09:45:00.000Z'],
    // finer than milliseconds is truncated, never rounded into the next millisecond
    ['2022-07-07T09:45:32.0699999Z', '2022-07-07T09:45:32.069Z'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseZonedDateTime(input)?.toISOString()).toBe(expected);
  });

  it.each([
    '2022-07-07T09:45:32', // no zone
    '2022-07-07', // no time
    '2022-02-30T00:00:00Z', // Date.parse would roll this over to March 2
    '2022-13-01T00:00:00Z',
    '2022-07-07T24:00:00Z',
    '2022-07-07T09:60:00Z',
    '2022-07-07T09:45:32+25:00',
    '2022-07-07 09:45:32Z',
    'yesterday',
    '',
    '0000-01-01T00:00:00Z', // year 0: Postgres has none
    '0001-01-01T00:30:00+01:00', // an offset into year 0
    '9999-12-31T23:30:00-01:00', // an offset into year 10000
  ])('refuses %j', (input) => {
    expect(parseZonedDateTime(input)).toBeUndefined();
  });

  it('keeps years 1 to 99 (Date.UTC would read them as 1901 to 1999)', () => {
    expect(parseZonedDateTime('0001-01-01T00:00:00Z')?.toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect(parseZonedDateTime('0099-12-31T23:59:59.999Z')?.toISOString()).toBe('0099-12-31T23:59:59.999Z');
    expect(parseZonedDateTime('9999-12-31T23:59:59.999Z')?.toISOString()).toBe('9999-12-31T23:59:59.999Z');
  });
});

describe('parseDateBound', () => {
  it('reads one-digit month and day as UTC midnight for start', () => {
    expect(parseDateBound('2022-1-1', 'start')?.toISOString()).toBe('2022-01-01T00:00:00.000Z');
  });

  it('makes a date-only end cover that whole day (exclusive bound at next midnight)', () => {
    expect(parseDateBound('2022-1-31', 'end')?.toISOString()).toBe('2022-02-01T00:00:00.000Z');
    expect(parseDateBound('2022-12-31', 'end')?.toISOString()).toBe('2023-01-01T00:00:00.000Z');
  });

  it('reads a zone-less date-time as UTC, one-digit hour allowed', () => {
    expect(parseDateBound('2022-7-7T9:45:32', 'start')?.toISOString()).toBe('2022-07-07T09:45:32.000Z');
  });

  it('makes a date-time end include the whole second it names', () => {
    expect(parseDateBound('2022-07-07T09:45:32', 'end')?.toISOString()).toBe('2022-07-07T09:45:33.000Z');
    expect(parseDateBound('2022-07-07T09:45:32Z', 'end')?.toISOString()).toBe('2022-07-07T09:45:33.000Z');
  });

  it('makes a zoned end given to the minute include that whole minute', () => {
    expect(parseDateBound('2022-07-07T09:45Z', 'end')?.toISOString()).toBe('2022-07-07T09:46:00.000Z');
    expect(parseDateBound('2022-07-07T09:45Z', 'start')?.toISOString()).toBe('2022-07-07T09:45:00.000Z');
  });

  it('makes a zoned end with milliseconds inclusive of that millisecond', () => {
    expect(parseDateBound('2022-07-07T09:45:32.069Z', 'end')?.toISOString()).toBe('2022-07-07T09:45:32.070Z');
  });

  it.each(['2022-2-30', '2022-0-1', '22-1-1', '2022-01-01T10:00', '2022/01/01', 'now', '2022-01-01T25:00:00'])(
    'refuses %j',
    (input) => {
      expect(parseDateBound(input, 'start')).toBeUndefined();
      expect(parseDateBound(input, 'end')).toBeUndefined();
    },
  );

  it('keeps years 1 to 99, and refuses year 0', () => {
    expect(parseDateBound('0050-6-1', 'start')?.toISOString()).toBe('0050-06-01T00:00:00.000Z');
    expect(parseDateBound('0099-12-31', 'end')?.toISOString()).toBe('0100-01-01T00:00:00.000Z');
    expect(parseDateBound('0000-1-1', 'start')).toBeUndefined();
  });

  it('accepts 29 February only in leap years', () => {
    expect(parseDateBound('2024-2-29', 'start')).toBeDefined();
    expect(parseDateBound('2023-2-29', 'start')).toBeUndefined();
  });
});
