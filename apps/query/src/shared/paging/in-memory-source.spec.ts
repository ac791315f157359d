import { inMemorySource } from './in-memory-source';

describe('inMemorySource', () => {
  const records = ['a', 'b', 'c', 'd', 'e'].map((i, n) => ({ i, t: `2026-01-0${n + 1}T00:00:00.000Z` }));
  const source = inMemorySource('letters', async () => [...records], (r) => r);
  const ids = async (limit: number, offset: number, after?: { t: string; i: string }) => (await source.fetch(null, {}, limit, offset, after)).map((r) => r.i);

  it('lists newest first, by offset and limit', async () => {
    expect(await ids(2, 0)).toEqual(['e', 'd']);
    expect(await ids(2, 2)).toEqual(['c', 'b']);
  });

  it('continues after a position with the records older than it, like the SQL lists', async () => {
    expect(await ids(2, 0, records[3])).toEqual(['c', 'b']);
    expect(await ids(10, 0, records[0])).toEqual([]);
  });

  it('breaks ties of time by id, descending', async () => {
    const tied = inMemorySource('tied', async () => [{ t: 'x', i: '1' }, { t: 'x', i: '3' }, { t: 'x', i: '2' }], (r) => r);
    expect((await tied.fetch(null, {}, 10, 0, { t: 'x', i: '3' })).map((r) => r.i)).toEqual(['2', '1']);
  });
});
