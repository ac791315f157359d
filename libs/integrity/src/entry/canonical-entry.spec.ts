import { randomBytes } from 'node:crypto';
import type { ActionRunReport, AuditEvent } from '@runtrail/contracts';
import { ERASED, eventEntryBytes, reportEntryBytes, reportEntryId, type EventEntry } from './canonical-entry';
import { PERSONAL_EVENT } from './entry-fixtures';
import { PersonalDigests } from './personal-digests';

const secret = randomBytes(32);
const digests = PersonalDigests.forTenant(secret, 'acme');
const submittedBy = { type: 'Application' as const, id: 'key-1', name: 'billing-api' };

const event = PERSONAL_EVENT;
const entry: EventEntry = { kind: 'audit-event', tenantId: 'acme', receivedAt: '2026-11-30T10:00:01.000Z', submittedBy, event };
const personalValues = ['u-4711', 'alice@example.com', 'admin-7', 'Bob Builder', '203.0.113.9', 'Mozilla/5.0', 'alice@old.example'];

describe('the canonical entry of an audit event', () => {
  it('is RFC 8785 JSON with sorted keys, holding every field but personal values only as keyed digests', () => {
    const bytes = eventEntryBytes(entry, digests);
    const text = bytes.toString('utf8');
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['entryId', 'event', 'kind', 'receivedAt', 'submittedBy', 'tenantId', 'v']);
    expect(parsed).toMatchObject({ kind: 'audit-event', entryId: event.eventId, tenantId: 'acme', submittedBy });
    expect(parsed.event).toMatchObject({ action: 'Update', entityType: 'User', correlationId: '4711', success: true, entityName: digests.of('alice@example.com') });
    for (const v of personalValues) expect(text).not.toContain(v);
    expect(text).toContain(digests.ofJson(5));
  });

  it('does not depend on the order of keys, and changes with any field', () => {
    const reordered = { ...entry, event: Object.fromEntries(Object.entries(event).reverse()) as unknown as AuditEvent };
    expect(eventEntryBytes(reordered, digests)).toEqual(eventEntryBytes(entry, digests));
    for (const changed of [{ action: 'Delete' }, { entityName: 'mallory' }, { success: false }, { context: { ip_address: '203.0.113.10' } }, { correlationId: null }]) {
      expect(eventEntryBytes({ ...entry, event: { ...event, ...changed } }, digests)).not.toEqual(eventEntryBytes(entry, digests));
    }
    expect(eventEntryBytes({ ...entry, kind: 'admin-act' }, digests)).not.toEqual(eventEntryBytes(entry, digests));
  });

  it('is the same after erasure when the erased fields keep their digests', () => {
    const erased = {
      ...entry,
      event: {
        ...event,
        entityName: ERASED,
        context: { ...event.context, ip_address: ERASED },
        changes: { email: { before: 'alice@old.example', after: ERASED }, quota: { after: 5 } },
      },
      erased: {
        entityName: digests.of('alice@example.com'),
        'context.ip_address': digests.of('203.0.113.9'),
        'changes.email.after': digests.ofJson('alice@example.com'),
      },
    };
    expect(eventEntryBytes(erased, digests)).toEqual(eventEntryBytes(entry, digests));
    // Without the kept digest, "[erased]" is just a value, and the entry differs.
    expect(eventEntryBytes({ ...erased, erased: null }, digests)).not.toEqual(eventEntryBytes(entry, digests));
  });

  it('digests each tenant differently, and under another secret differently again', () => {
    expect(PersonalDigests.forTenant(secret, 'globex').of('alice')).not.toBe(digests.of('alice'));
    expect(PersonalDigests.forTenant(randomBytes(32), 'acme').of('alice')).not.toBe(digests.of('alice'));
    expect(() => PersonalDigests.forTenant(randomBytes(16), 'acme')).toThrow(/32 bytes/);
  });
});

describe('the canonical entry of an action-run report', () => {
  const report = {
    id: '5f0c7a1e-2b7d-4c1e-8e2a-9d3b6c4f1a20',
    workspace: { name: 'infra' },
    block: { name: 'k8s', from: 'registry/k8s:1.2.0' },
    action: 'deploy',
    status: 'failed',
    startedAt: '2026-11-30T10:00:00Z',
    finishedAt: '2026-11-30T10:01:00Z',
    exitCode: 2,
    hostname: 'build-7.example.net',
    osUser: 'carol',
  } as ActionRunReport;
  const base = { tenantId: 'acme', entryId: reportEntryId('acme', '1025'), receivedAt: '2026-11-30T10:01:00.100Z', submittedBy, report };

  it('keeps the report as submitted with host name and OS user digested', () => {
    const text = reportEntryBytes(base, digests).toString('utf8');
    const parsed = JSON.parse(text) as { report: Record<string, unknown>; kind: string };
    expect(parsed.kind).toBe('action-run-report');
    expect(parsed.report).toMatchObject({ status: 'failed', exitCode: 2, hostname: digests.of('build-7.example.net'), osUser: digests.of('carol') });
    expect(parsed.report).not.toHaveProperty('durationMs');
    expect(text).not.toContain('carol');
    expect(text).not.toContain('build-7');
  });

  it('has an entry id from its tenant and stream position, stable and distinct', () => {
    expect(reportEntryId('acme', '1025')).toBe(base.entryId);
    expect(new Set([reportEntryId('acme', '1026'), reportEntryId('globex', '1025'), base.entryId]).size).toBe(3);
    expect(base.entryId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is the same after erasure of the OS user when its digest is kept', () => {
    const erased = { ...base, report: { ...report, osUser: ERASED }, erased: { osUser: digests.of('carol') } };
    expect(reportEntryBytes(erased, digests)).toEqual(reportEntryBytes(base, digests));
  });
});
