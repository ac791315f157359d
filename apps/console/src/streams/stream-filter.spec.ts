import { describe, expect, it } from 'vitest';
import { formatStreamFilter, streamFilterOf } from './stream-filter';

describe('formatStreamFilter', () => {
  it('writes name=value pairs in the search’s order, whatever order the API answered them in', () => {
    expect(formatStreamFilter({ success: 'false', entity_type: 'ActionRun' })).toBe('entity_type=ActionRun success=false');
    expect(formatStreamFilter({ end: '2026-12-31', correlation_id: 'CHG-1', start: '2026-01-01', action: 'Delete' })).toBe('action=Delete correlation_id=CHG-1 start=2026-01-01 end=2026-12-31');
  });

  it('quotes a value with a space or a quote as the search box does', () => {
    expect(formatStreamFilter({ source_name: 'Jane Doe', entity_id: 'say "hi"' })).toBe('source_name="Jane Doe" entity_id="say \\"hi\\""');
  });

  it('shows a name it does not know after the known ones, rather than hiding what the stream filters on', () => {
    expect(formatStreamFilter({ zone: 'eu', entity_type: 'Project', region: 'north' })).toBe('entity_type=Project region=north zone=eu');
  });

  it('is empty for a stream without a filter', () => {
    expect(formatStreamFilter({})).toBe('');
  });
});

describe('streamFilterOf', () => {
  it('takes the timeline’s qualifiers, normalised as the timeline normalises them, and the time range', () => {
    expect(streamFilterOf('entity_type:ActionRun success:FALSE source_type:user', { range: 'any' })).toEqual({
      ok: true,
      filter: { entity_type: 'ActionRun', success: 'false', source_type: 'User' },
    });
    expect(streamFilterOf('source_name:"Jane Doe"', { range: 'custom', start: '2026-01-01T00:00Z', end: '2026-01-31T23:59Z' })).toEqual({
      ok: true,
      filter: { source_name: 'Jane Doe', start: '2026-01-01T00:00Z', end: '2026-01-31T23:59Z' },
    });
  });

  it('keeps the start a preset was chosen with, and no end', () => {
    expect(streamFilterOf('', { range: '24h', start: '2026-11-30T09:00:00Z' })).toEqual({ ok: true, filter: { start: '2026-11-30T09:00:00Z' } });
  });

  it('answers the search’s own error for a bare word or an unknown qualifier', () => {
    expect(streamFilterOf('Project', { range: 'any' })).toEqual({ ok: false, error: expect.stringContaining('“Project” is not a filter') });
    expect(streamFilterOf('tenant:acme', { range: 'any' })).toEqual({ ok: false, error: expect.stringContaining('tenant: is not a qualifier') });
  });
});
