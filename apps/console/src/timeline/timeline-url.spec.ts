import { describe, expect, it } from 'vitest';
import { auditFilters, auditPageQuery, readTimelineState, writeTimelineState, type TimelineState } from './timeline-url';

const read = (search: string) => readTimelineState(new URLSearchParams(search));

describe('timeline URL state', () => {
  it('reads every key of the URL', () => {
    expect(read('q=action%3ADelete&range=custom&start=2026-01-01T00%3A00Z&end=2026-01-31T23%3A59Z&cursor=abc&limit=100&record=77')).toEqual({
      q: 'action:Delete',
      time: { range: 'custom', start: '2026-01-01T00:00Z', end: '2026-01-31T23:59Z' },
      cursor: 'abc',
      limit: 100,
      record: '77',
    });
  });

  it('reads an empty URL as the first page of everything', () => {
    expect(read('')).toEqual({ q: '', time: { range: 'any' }, cursor: undefined, limit: undefined, record: undefined });
  });

  it('ignores a limit the API would refuse and an unknown range', () => {
    expect(read('limit=0').limit).toBeUndefined();
    expect(read('limit=1001').limit).toBeUndefined();
    expect(read('limit=ten').limit).toBeUndefined();
    expect(read('range=2y').time).toEqual({ range: 'any' });
    expect(read('start=2026-1-1').time).toEqual({ range: 'custom', start: '2026-1-1', end: undefined });
  });

  it('keeps only the start of a preset (the end is now)', () => {
    expect(read('range=24h&start=2026-11-29T06%3A40%3A32Z&end=x').time).toEqual({ range: '24h', start: '2026-11-29T06:40:32Z', end: undefined });
  });

  it('round-trips: what it writes it reads back, in a fixed key order', () => {
    const states: TimelineState[] = [
      { q: '', time: { range: 'any' } },
      { q: 'source_name:"Jane Doe"', time: { range: '1h', start: '2026-11-30T05:00:00Z' }, cursor: 'c1', limit: 20 },
      { q: 'success:false', time: { range: 'custom', start: '2026-01-01T00:00Z', end: '2026-02-01T00:00Z' }, record: '12' },
    ];
    for (const state of states) {
      const params = writeTimelineState(state);
      expect(read(params.toString())).toEqual({ cursor: undefined, limit: undefined, record: undefined, ...state, time: { start: undefined, end: undefined, ...state.time } });
    }
    expect(writeTimelineState(states[1] as TimelineState).toString()).toBe('q=source_name%3A%22Jane+Doe%22&range=1h&start=2026-11-30T05%3A00%3A00Z&limit=20&cursor=c1');
  });

  it('keeps the keys that are not its own (an embed link token) and drops its empty ones', () => {
    const base = new URLSearchParams('token=rtv_abc&q=action%3AUpdate&cursor=old');
    expect(writeTimelineState({ q: '', time: { range: 'any' } }, base).toString()).toBe('token=rtv_abc');
  });
});

describe('timeline query', () => {
  it('is the search filters plus the time range, then paging', () => {
    const state = read('q=action%3ADelete+success%3Afalse+source_type%3AUser&range=custom&start=2026-01-01T00%3A00Z&cursor=abc&limit=20&record=5');
    expect(auditFilters(state)).toEqual({ ok: true, query: { action: 'Delete', success: 'false', source_type: 'User', start: '2026-01-01T00:00Z' } });
    expect(auditPageQuery(state)).toEqual({
      ok: true,
      query: { action: 'Delete', success: 'false', source_type: 'User', start: '2026-01-01T00:00Z', limit: '20', cursor: 'abc' },
    });
  });

  it('is the search error when the URL holds words that are not filters', () => {
    expect(auditPageQuery(read('q=hello'))).toEqual({ ok: false, error: expect.stringMatching(/^“hello” is not a filter/) as unknown });
  });
});
