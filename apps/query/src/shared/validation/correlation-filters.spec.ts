import { ActionRunQueryDto, RunStatsQueryDto } from '../../action-runs/action-run-query.dto';
import { toRunFilter } from '../../action-runs/action-run-filter';
import { toAuditFilter } from '../../audit/audit-filter';
import { AuditQueryDto } from '../../audit/audit-query.dto';
import { tenantAuth } from '../../../test/fixtures';
import { parseQuery } from './parse-input';

function refusal(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return (err as { messages?: unknown }).messages;
  }
  throw new Error('not refused');
}

describe('correlation_id and changed_field filters', () => {
  it('reach the audit filter as given', () => {
    const q = parseQuery(AuditQueryDto, { correlation_id: 'pipeline #7 / Grüße', changed_field: 'spec.replicas' });
    expect(toAuditFilter(q, tenantAuth())).toMatchObject({ correlationId: 'pipeline #7 / Grüße', changedField: 'spec.replicas' });
  });

  it('reach the run filter of lists and stats', () => {
    expect(toRunFilter(parseQuery(ActionRunQueryDto, { correlation_id: 'c'.repeat(128) })).correlationId).toBe('c'.repeat(128));
    expect(toRunFilter(parseQuery(RunStatsQueryDto, { correlation_id: 'p-1' })).correlationId).toBe('p-1');
  });

  it.each<[string, typeof AuditQueryDto | typeof ActionRunQueryDto | typeof RunStatsQueryDto]>([
    ['/v1/audit', AuditQueryDto],
    ['/v1/action-runs', ActionRunQueryDto],
    ['/v1/action-runs/stats', RunStatsQueryDto],
  ])('%s refuses a correlation_id that no record can carry', (_path, dto) => {
    const message = 'correlation_id must be 1 to 128 printable characters';
    expect(refusal(() => parseQuery(dto, { correlation_id: '' }))).toEqual([message]);
    expect(refusal(() => parseQuery(dto, { correlation_id: 'c'.repeat(129) }))).toEqual([message]);
    expect(refusal(() => parseQuery(dto, { correlation_id: 'a\nb' }))).toEqual([message]);
    expect(refusal(() => parseQuery(dto, { correlation_id: ['a', 'b'] }))).toEqual([message]);
  });

  it('refuses a changed_field that is not a field name', () => {
    const message = 'changed_field must match ^[A-Za-z_][A-Za-z0-9_.-]{0,63}$';
    for (const bad of ['', '1abc', 'a b', `a${'b'.repeat(64)}`, "a'; DROP TABLE audit_events; --"]) {
      expect(refusal(() => parseQuery(AuditQueryDto, { changed_field: bad }))).toEqual([message]);
    }
  });

  it('takes changed_field only on the timeline', () => {
    expect(refusal(() => parseQuery(ActionRunQueryDto, { changed_field: 'replicas' }))).toEqual(['changed_field is not a known query parameter']);
  });
});
