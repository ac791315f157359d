import { InvalidInputError } from '@runtrail/platform';
import { consistencySizes, proofSize, toCheckpointFilter, toEntryFilter } from './integrity-filters';

describe('integrity filters', () => {
  const max = Number.MAX_SAFE_INTEGER;

  it('reads checkpoint bounds as sizes (integers) or issue times (dates), each on its own', () => {
    expect(toCheckpointFilter({ start: '10', end: '20' })).toEqual({ minSize: 10, maxSize: 20 });
    expect(toCheckpointFilter({ start: '2026-1-1', end: '2026-01-31' })).toEqual({ issuedFrom: new Date('2026-01-01T00:00:00Z'), issuedBefore: new Date('2026-02-01T00:00:00Z') });
    expect(toCheckpointFilter({ start: '10', end: '2026-01-31T10:00Z' })).toEqual({ minSize: 10, issuedBefore: new Date('2026-01-31T10:01:00Z') });
    expect(toCheckpointFilter({ start: '5', end: '5' })).toEqual({ minSize: 5, maxSize: 5 });
  });

  it.each([
    [{ start: '20', end: '10' }, ['start must not be after end']],
    [{ start: '2026-02-01', end: '2026-01-31' }, ['start must not be after end']],
    [{ start: `${max + 1}` }, [`start must be a tree size (an integer from 0 to ${max}) or a date: yyyy-MM-dd, yyyy-MM-ddThh:mm:ss or ISO-8601 with zone`]],
    [{ end: 'yesterday' }, [`end must be a tree size (an integer from 0 to ${max}) or a date: yyyy-MM-dd, yyyy-MM-ddThh:mm:ss or ISO-8601 with zone`]],
  ])('refuses checkpoint bounds %j', (q, messages) => {
    expect(() => toCheckpointFilter(q)).toThrow(new InvalidInputError(messages));
  });

  it('reads entry indices, end exclusive, and a ref in lower case', () => {
    expect(toEntryFilter({ start: '0', end: '1', ref: 'AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA' })).toEqual({ start: 0, end: 1, ref: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' });
    expect(() => toEntryFilter({ start: '3', end: '3' })).toThrow(new InvalidInputError(['start must be less than end (end is exclusive)']));
    expect(() => toEntryFilter({ end: '99999999999999999' })).toThrow(new InvalidInputError([`end must be an entry index: an integer from 0 to ${max}`]));
  });

  it('reads proof sizes: at least 1, from not greater than to', () => {
    expect(proofSize({ entry_id: 'x' })).toBeUndefined();
    expect(proofSize({ entry_id: 'x', size: '7' })).toBe(7);
    expect(() => proofSize({ entry_id: 'x', size: '0' })).toThrow(new InvalidInputError([`size must be a tree size: an integer from 1 to ${max}`]));
    expect(consistencySizes({ from: '3', to: '3' })).toEqual({ from: 3, to: 3 });
    expect(() => consistencySizes({ from: '4', to: '3' })).toThrow(new InvalidInputError(['from must not be greater than to']));
    expect(() => consistencySizes({ from: '0', to: `${max + 1}` })).toThrow(
      new InvalidInputError([`from must be a tree size: an integer from 1 to ${max}`, `to must be a tree size: an integer from 1 to ${max}`]),
    );
  });
});
