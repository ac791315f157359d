import { randomBytes } from 'node:crypto';
import type { ActionRunReport, AuditEvent } from '@runtrail/contracts';
import { ERASED, eventEntryBytes, reportEntryBytes } from './canonical-entry';
import { PERSONAL_EVENT } from './entry-fixtures';
import { PersonalDigests } from './personal-digests';
import { VaultMismatchError, openAuditEvent, openRunReport, sealAuditEvents, sealRunReports } from './personal-fields';

const digests = PersonalDigests.forTenant(randomBytes(32), 'acme');
const event: AuditEvent = { ...PERSONAL_EVENT, sourceId: null, changes: { ...PERSONAL_EVENT.changes, quota: { after: { gb: 5 } } } };
const report = { id: '5f0c7a1e-2b7d-4c1e-8e2a-9d3b6c4f1a20', workspace: { name: 'infra' }, block: { name: 'k8s' }, action: 'deploy', status: 'running', startedAt: '2026-11-30T10:00:00Z', hostname: 'build-7', osUser: 'carol' } as ActionRunReport;
const entryOf = (e: AuditEvent, erased = {}) => ({ kind: 'audit-event' as const, tenantId: 'acme', receivedAt: '2026-11-30T10:00:01.000Z', submittedBy: { type: 'Application' as const, id: 'k', name: 'api' }, event: e, erased });

describe('sealing personal values for the stream', () => {
  it('replaces every personal value by its digest and keeps the values apart, and opening gives the event back', () => {
    const sealed = sealAuditEvents([event], digests);
    const text = JSON.stringify(sealed.items);
    for (const v of ['u-4711', 'alice', 'Bob Builder', '203.0.113.9', '"gb"']) expect(text).not.toContain(v);
    expect(text).toContain('"action":"Update"');
    expect(Object.values(sealed.values)).toEqual(expect.arrayContaining(['alice@example.com', 'Bob Builder', { gb: 5 }]));
    const opened = openAuditEvent(sealed.items[0] as AuditEvent, sealed.values, digests);
    expect(opened).toEqual({ item: event, erased: {} });

    const r = sealRunReports([report], digests);
    expect(JSON.stringify(r.items)).not.toMatch(/build-7|carol/);
    expect(openRunReport(r.items[0] as ActionRunReport, r.values, digests)).toEqual({ item: report, erased: {} });
  });

  it('reads a value the vault no longer holds as [erased] in every field it filled, with an unchanged entry', () => {
    const sealed = sealAuditEvents([event], digests);
    const values = { ...sealed.values };
    delete values[digests.of('alice@example.com')];
    delete values[digests.ofJson('alice@example.com')];
    const { item, erased } = openAuditEvent(sealed.items[0] as AuditEvent, values, digests);
    expect(item.entityName).toBe(ERASED);
    expect(item.changes?.email).toEqual({ before: 'alice@old.example', after: ERASED });
    expect(Object.keys(erased).sort()).toEqual(['changes.email.after', 'entityName']);
    expect(JSON.stringify(item)).not.toContain('alice@example.com');
    expect(eventEntryBytes(entryOf(item, erased), digests)).toEqual(eventEntryBytes(entryOf(event), digests));

    const r = sealRunReports([report], digests);
    const opened = openRunReport(r.items[0] as ActionRunReport, {}, digests);
    expect(opened.item).toMatchObject({ hostname: ERASED, osUser: ERASED });
    const base = { tenantId: 'acme', entryId: 'e', receivedAt: 'r', submittedBy: { type: 'Application' as const, id: 'k', name: 'api' } };
    expect(reportEntryBytes({ ...base, report: opened.item, erased: opened.erased }, digests)).toEqual(reportEntryBytes({ ...base, report }, digests));
  });

  it('refuses a vault value that does not match its digest', () => {
    const sealed = sealAuditEvents([event], digests);
    const forged = { ...sealed.values, [digests.of('Bob Builder')]: 'Mallory' };
    expect(() => openAuditEvent(sealed.items[0] as AuditEvent, forged, digests)).toThrow(VaultMismatchError);
  });

  it('keeps a name and a changes value apart even when their texts are alike (the name "1", the number 1)', () => {
    const e = { ...PERSONAL_EVENT, entityId: '1', changes: { f: { after: 1 } } };
    const sealed = sealAuditEvents([e], digests);
    expect(openAuditEvent(sealed.items[0] as AuditEvent, sealed.values, digests)).toEqual({ item: e, erased: {} });
    expect(digests.of('1')).not.toBe(digests.ofJson(1));
  });
});
