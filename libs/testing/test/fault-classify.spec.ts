import fc from 'fast-check';
import { classify } from '../src/faults/classify';

describe('classifying every event after a fault', () => {
  it('counts acknowledged and stored once as ok, acknowledged and missing as lost, more than once as duplicated', () => {
    const stored = new Map([
      ['a', 1],
      ['c', 2],
      ['d', 1],
      ['x', 1],
    ]);
    const result = classify(
      [
        { id: 'a', acknowledged: true },
        { id: 'b', acknowledged: true },
        { id: 'c', acknowledged: true },
        { id: 'd', acknowledged: false },
        { id: 'e', acknowledged: false },
      ],
      stored,
    );
    expect(result).toEqual({ ok: 1, lost: 1, duplicated: 1, unknown: 2, unexpected: 1, offenders: ['b', 'c'] });
  });

  it('counts an event retried with the same id once, and every event in exactly one class', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e'), acknowledged: fc.boolean() })), fc.dictionary(fc.constantFrom('a', 'b', 'c', 'x'), fc.integer({ min: 1, max: 3 })), (submitted, rows) => {
        const r = classify(submitted, new Map(Object.entries(rows)));
        expect(r.ok + r.lost + r.duplicated + r.unknown).toBe(new Set(submitted.map((s) => s.id)).size);
        expect(r.unexpected).toBe(Object.keys(rows).filter((id) => !submitted.some((s) => s.id === id)).length);
      }),
    );
  });
});
