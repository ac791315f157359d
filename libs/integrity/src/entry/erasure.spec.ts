import { randomBytes } from 'node:crypto';
import type { ActionRunReport } from '@runtrail/contracts';
import { ERASED, eventEntryBytes, reportEntryBytes } from './canonical-entry';
import { PERSONAL_EVENT } from './entry-fixtures';
import { eraseEventFields, eraseReportFields, eventFieldsHolding, reportFieldsHolding } from './erasure';
import { PersonalDigests } from './personal-digests';

const digests = PersonalDigests.forTenant(randomBytes(32), 'acme');
const submittedBy = { type: 'Application' as const, id: 'k', name: 'api' };

describe('erasing a value from an entry', () => {
  const event = { ...PERSONAL_EVENT, sourceName: 'alice@example.com', changes: { ...PERSONAL_EVENT.changes, owner: { after: { emails: ['alice@example.com'] } } } };

  it('finds every personal field holding it, a changes value holding it anywhere inside, and nothing else', () => {
    const found = eventFieldsHolding(event, 'alice@example.com', digests);
    expect(Object.keys(found).sort()).toEqual(['changes.email.after', 'changes.owner.after', 'entityName', 'sourceName']);
    expect(found['changes.owner.after']).toBe(digests.ofJson({ emails: ['alice@example.com'] }));
    expect(eventFieldsHolding(event, 'alice', digests)).toEqual({});
    expect(eventFieldsHolding(event, 'Update', digests)).toEqual({});
  });

  it('reads the fields as [erased], leaves the rest, and keeps the entry bytes with the digests found', () => {
    const found = eventFieldsHolding(event, 'alice@example.com', digests);
    const erased = eraseEventFields(event, Object.keys(found));
    expect(erased).toMatchObject({ entityName: ERASED, sourceName: ERASED, entityId: 'u-4711', changes: { email: { before: 'alice@old.example', after: ERASED }, owner: { after: ERASED } } });
    expect(JSON.stringify(erased)).not.toContain('alice@example.com');
    const entry = { kind: 'audit-event' as const, tenantId: 'acme', receivedAt: '2026-11-30T10:00:01.000Z', submittedBy };
    expect(eventEntryBytes({ ...entry, event: erased, erased: found }, digests)).toEqual(eventEntryBytes({ ...entry, event }, digests));
  });

  it('does the same for a run report', () => {
    const report = { id: '5f0c7a1e-2b7d-4c1e-8e2a-9d3b6c4f1a20', workspace: { name: 'w' }, block: { name: 'b' }, action: 'a', status: 'running', startedAt: 'x', hostname: 'carol', osUser: 'carol' } as ActionRunReport;
    const found = reportFieldsHolding(report, 'carol', digests);
    expect(Object.keys(found)).toEqual(['hostname', 'osUser']);
    const erased = eraseReportFields(report, Object.keys(found));
    const base = { tenantId: 'acme', entryId: 'e', receivedAt: 'r', submittedBy };
    expect(reportEntryBytes({ ...base, report: erased, erased: found }, digests)).toEqual(reportEntryBytes({ ...base, report }, digests));
  });
});
