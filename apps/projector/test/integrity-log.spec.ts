import { randomBytes, randomUUID } from 'node:crypto';
import type { ActionRunReport, AuditEvent } from '@runtrail/contracts';
import { TenantDigests, eventEntryBytes, reportEntryBytes, sealAuditEvents, sealRunReports } from '@runtrail/integrity';
import { frontierFromBytes, frontierRoot, inclusionProof, inclusionRanges, leafHash, nodeKey, rangeHashes, rootOf, type Hash, type NodeId } from '@runtrail/merkle';
import {
  actionRunReportsTable,
  auditEventsTable,
  eventEntryOf,
  integrityEntriesTable,
  integrityLogsTable,
  openDatabase,
  reportEntryOf,
} from '@runtrail/persistence';
import { loadConfig } from '@runtrail/platform';
import { auditEvent, databaseUrl, dropDatabase, uniqueName } from '@runtrail/testing';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { ProjectorConfig } from '../src/config/projector.config';
import type { TestProjection } from './project-batch-usecase';
import { memoryVault, projectBatchUseCase } from './project-batch-usecase';

const NS = 'logtest';
const TABLES = 'audit_events, action_runs, action_run_reports, dead_letters, projector_checkpoints, integrity_logs, integrity_entries, integrity_nodes, erased_values';

type Message = { seq: number; subject: string; data: Buffer };

function message(seq: number, tenantId: string, kind: 'audit' | 'run' | 'erasure', events: Record<string, unknown>[], act = false, vault?: string): Message {
  const envelope = {
    ...(vault ? { vault } : {}),
    v: 1,
    kind,
    tenantId,
    submitter: { type: 'Application', id: 'key-1', name: 'ci' },
    receivedAt: new Date(Date.UTC(2026, 10, 30, 9, 0, seq)).toISOString(),
    ...(act ? { act: true } : {}),
    events: kind === 'audit' ? events.map((e) => ({ version: '1.0', success: true, ...e })) : events,
  };
  return { seq, subject: `${NS}.evt.${tenantId}.${kind}`, data: Buffer.from(JSON.stringify(envelope)) };
}

function report(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    workspace: { name: 'infra' },
    block: { name: 'k8s', from: 'registry/k8s:1.0.0', version: '1.0.0' },
    action: 'deploy',
    status: 'running',
    startedAt: '2026-11-30T09:00:00.000Z',
    hostname: 'build-1.example.net',
    osUser: 'carol',
    ...overrides,
  };
}

describe('the integrity log, appended by the projector (real Postgres)', () => {
  const database = uniqueName('intlog');
  const digests = new TenantDigests(randomBytes(32));
  let ds: DataSource;
  let useCase: TestProjection;

  /** Each entry of a tenant's log, in index order. */
  const entries = async (tenantId: string) =>
    ((await ds.query(`SELECT ${integrityEntriesTable.select()} FROM integrity_entries WHERE tenant_id = $1 ORDER BY idx`, [tenantId])) as Record<string, unknown>[]).map(
      (r) => integrityEntriesTable.decode(r),
    );

  /** The leaf hashes a verifier rebuilds from the rows readers see, in stream order. */
  async function leavesFromRows(tenantId: string, acts = new Set<string>()): Promise<{ position: string; leaf: Hash }[]> {
    const audit = ((await ds.query(`SELECT ${auditEventsTable.select()} FROM audit_events WHERE tenant_id = $1 AND action <> 'Run'`, [tenantId])) as Record<string, unknown>[])
      .map((r) => auditEventsTable.decode(r))
      .map((row) => ({ position: row.id, leaf: leafHash(eventEntryBytes(eventEntryOf(row, acts.has(row.eventId) ? 'admin-act' : 'audit-event', null), digests.of(tenantId))) }));
    const reports = ((await ds.query(`SELECT ${actionRunReportsTable.select()} FROM action_run_reports WHERE tenant_id = $1`, [tenantId])) as Record<string, unknown>[])
      .map((r) => actionRunReportsTable.decode(r))
      .map((row) => ({ position: row.position, leaf: leafHash(reportEntryBytes(reportEntryOf(row, null), digests.of(tenantId))) }));
    return [...audit, ...reports].sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
  }

  async function storedRoot(tenantId: string): Promise<Hash> {
    const [raw] = (await ds.query(`SELECT ${integrityLogsTable.select()} FROM integrity_logs WHERE tenant_id = $1`, [tenantId])) as Record<string, unknown>[];
    const row = integrityLogsTable.decode(raw as Record<string, unknown>);
    return frontierRoot(frontierFromBytes(row.size, row.frontier));
  }

  beforeAll(async () => {
    ds = await openDatabase({ url: databaseUrl(database), applicationName: 'intlog-test', poolSize: 2 });
    useCase = projectBatchUseCase(ds, loadConfig(ProjectorConfig, { RUNTRAIL_NAMESPACE: NS, DATABASE_URL: databaseUrl(database) }), memoryVault(digests));
  });

  beforeEach(async () => {
    await ds.query(`TRUNCATE ${TABLES}`);
  });

  afterAll(async () => {
    await ds.destroy();
    await dropDatabase(database);
  });

  it('numbers every audit event, report and administrative act of a tenant from 0, in stream order, over the canonical bytes of its rows', async () => {
    const run = report();
    const act = auditEvent({ action: 'Create', entityType: 'ApiKey' });
    await useCase.execute([
      message(1, 'acme', 'audit', [auditEvent(), auditEvent({ action: 'Delete' })]),
      message(2, 'acme', 'run', [run]),
      message(3, 'globex', 'audit', [auditEvent()]),
    ]);
    await useCase.execute([message(4, 'acme', 'run', [{ ...run, status: 'successful', finishedAt: '2026-11-30T09:01:00.000Z', exitCode: 0 }]), message(5, 'acme', 'audit', [act], true)]);

    const acme = await entries('acme');
    expect(acme.map((e) => [e.index, e.kind, e.position])).toEqual([
      [0, 'audit-event', '1024'],
      [1, 'audit-event', '1025'],
      [2, 'action-run-report', '2048'],
      [3, 'action-run-report', '4096'],
      [4, 'admin-act', '5120'],
    ]);
    expect(acme[2]?.ref).toBe(run.id);
    expect(acme[2]?.entryId).not.toBe(acme[3]?.entryId);
    expect(acme[4]?.entryId).toBe(act.eventId);
    expect((await entries('globex')).map((e) => e.index)).toEqual([0]);

    // The log holds exactly the leaves a verifier rebuilds from the rows (the Run timeline entry is derived, not an entry).
    const rebuilt = await leavesFromRows('acme', new Set([act.eventId as string]));
    expect(acme.map((e) => e.leafHash.toString('base64'))).toEqual(rebuilt.map((r) => r.leaf.toString('base64')));
    expect((await storedRoot('acme')).equals(rootOf(rebuilt.map((r) => r.leaf)))).toBe(true);
  });

  it('reads sealed messages through the vault, and an erased value as [erased] with the same log entry', async () => {
    const vault = memoryVault(digests);
    const sealedUseCase = projectBatchUseCase(ds, loadConfig(ProjectorConfig, { RUNTRAIL_NAMESPACE: NS, DATABASE_URL: databaseUrl(database) }), vault);
    const events = [auditEvent({ entityName: 'alice@example.com', changes: { email: { after: 'alice@example.com' } } }), auditEvent()].map((e) => ({ version: '1.0', success: true, correlationId: null, ...e }) as Record<string, unknown>);
    const runs = [report({ osUser: 'alice@example.com' })];
    const sealed = sealAuditEvents(events as unknown as AuditEvent[], digests.of('acme'));
    const sealedRuns = sealRunReports(runs as unknown as ActionRunReport[], digests.of('acme'));
    vault.entries['acme.a'] = sealed.values;
    vault.entries['acme.r'] = Object.fromEntries(Object.entries(sealedRuns.values).filter(([, v]) => v !== 'alice@example.com'));
    const messages = [
      message(1, 'acme', 'audit', sealed.items as unknown as Record<string, unknown>[], false, 'acme.a'),
      message(2, 'acme', 'run', sealedRuns.items as unknown as Record<string, unknown>[], false, 'acme.r'),
    ];
    await sealedUseCase.execute(messages);
    const sealedLeaves = (await entries('acme')).map((e) => e.leafHash.toString('hex'));
    const [first] = (await ds.query(`SELECT entity_name, changes FROM audit_events WHERE event_id = $1`, [events[0]?.eventId])) as { entity_name: string; changes: unknown }[];
    expect(first).toEqual({ entity_name: 'alice@example.com', changes: { email: { after: 'alice@example.com' } } });
    const [run] = (await ds.query(`SELECT report->>'osUser' AS os_user, report->>'hostname' AS hostname FROM action_run_reports`)) as { os_user: string; hostname: string }[];
    expect(run).toEqual({ os_user: '[erased]', hostname: 'build-1.example.net' });
    expect(await ds.query(`SELECT path, digest FROM erased_values`)).toEqual([{ path: 'osUser', digest: digests.of('acme').of('alice@example.com') }]);

    // The same submissions unsealed give the same entries: sealing and erasure change no leaf.
    await ds.query(`TRUNCATE ${TABLES}`);
    await useCase.execute([message(1, 'acme', 'audit', events), message(2, 'acme', 'run', runs)]);
    expect((await entries('acme')).map((e) => e.leafHash.toString('hex'))).toEqual(sealedLeaves);
  });

  it('dead-letters a sealed message whose vault value does not match its digest', async () => {
    const vault = memoryVault(digests);
    const sealedUseCase = projectBatchUseCase(ds, loadConfig(ProjectorConfig, { RUNTRAIL_NAMESPACE: NS, DATABASE_URL: databaseUrl(database) }), vault);
    const sealed = sealAuditEvents([auditEvent({ version: '1.0', success: true }) as unknown as AuditEvent], digests.of('acme'));
    vault.entries['acme.x'] = Object.fromEntries(Object.entries(sealed.values).map(([d, v]) => [d, v === 'team-a' ? 'team-b' : v]));
    const outcome = await sealedUseCase.execute([message(1, 'acme', 'audit', sealed.items as unknown as Record<string, unknown>[], false, 'acme.x')]);
    expect(outcome).toMatchObject({ deadLettered: 1, insertedRows: 0 });
    expect(await entries('acme')).toEqual([]);
  });

  it('applies an erasure fact to the rows, the merged run and its timeline entry, and every leaf rebuilt from the rows stays the same', async () => {
    const run = report({ osUser: 'alice', hostname: 'alice' });
    const event = auditEvent({ entityName: 'alice', context: { user_agent: 'alice', ip_address: '10.0.0.1' } });
    await useCase.execute([message(1, 'acme', 'audit', [event]), message(2, 'acme', 'run', [run])]);
    const before = (await entries('acme')).map((e) => e.leafHash.toString('hex'));
    const d = digests.of('acme').of('alice');
    const fact = {
      erasureId: randomUUID(),
      entries: [
        { position: '1024', row: 'event', fields: { entityName: d, 'context.user_agent': d } },
        { position: '2048', row: 'report', fields: { osUser: d, hostname: d } },
      ],
    };
    await useCase.execute([message(3, 'acme', 'erasure', [fact])]);

    const dump = (await ds.query(
      `SELECT (SELECT string_agg(t::text, '') FROM audit_events t) || (SELECT string_agg(t::text, '') FROM action_runs t) || (SELECT string_agg(t::text, '') FROM action_run_reports t) AS text`,
    )) as { text: string }[];
    expect(dump[0]?.text).not.toMatch(/alice/);
    expect(await ds.query(`SELECT entity_name, context FROM audit_events WHERE event_id = $1`, [event.eventId])).toEqual([
      { entity_name: '[erased]', context: { user_agent: '[erased]', ip_address: '10.0.0.1' } },
    ]);
    expect(await ds.query(`SELECT hostname, os_user FROM action_runs`)).toEqual([{ hostname: '[erased]', os_user: '[erased]' }]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM erased_values`)).toEqual([{ n: 4 }]);
    // The log is untouched, and the rows with their kept digests still make the same leaves.
    expect((await entries('acme')).map((e) => e.leafHash.toString('hex'))).toEqual(before);
    const kept = async (position: string) =>
      Object.fromEntries(((await ds.query(`SELECT path, digest FROM erased_values WHERE position = $1`, [position])) as { path: string; digest: string }[]).map((r) => [r.path, r.digest]));
    const [auditRaw] = (await ds.query(`SELECT ${auditEventsTable.select()} FROM audit_events WHERE id = 1024`)) as Record<string, unknown>[];
    const [reportRaw] = (await ds.query(`SELECT ${actionRunReportsTable.select()} FROM action_run_reports`)) as Record<string, unknown>[];
    const rebuilt = [
      leafHash(eventEntryBytes(eventEntryOf(auditEventsTable.decode(auditRaw as Record<string, unknown>), 'audit-event', await kept('1024')), digests.of('acme'))),
      leafHash(reportEntryBytes(reportEntryOf(actionRunReportsTable.decode(reportRaw as Record<string, unknown>), await kept('2048')), digests.of('acme'))),
    ];
    expect(rebuilt.map((h) => h.toString('hex'))).toEqual(before);
  });

  it('keeps nothing personal in the log tables', async () => {
    await useCase.execute([message(1, 'acme', 'audit', [auditEvent({ entityName: 'alice@example.com' })]), message(2, 'acme', 'run', [report({ osUser: 'alice@example.com' })])]);
    const dump = (await ds.query(
      `SELECT (SELECT string_agg(t::text, '') FROM integrity_entries t) || (SELECT string_agg(t::text, '') FROM integrity_nodes t) || (SELECT string_agg(t::text, '') FROM integrity_logs t) AS text`,
    )) as { text: string }[];
    expect(dump[0]?.text).not.toContain('alice');
    expect(dump[0]?.text).not.toContain(Buffer.from('alice@example.com').toString('hex'));
  });

  it('adds nothing for a redelivered batch or an event re-sent after the duplicate window', async () => {
    const event = auditEvent();
    const first = [message(1, 'acme', 'audit', [event]), message(2, 'acme', 'run', [report()])];
    await useCase.execute(first);
    await useCase.execute(first);
    await useCase.execute([message(7, 'acme', 'audit', [{ ...event, action: 'Delete' }])]);
    expect((await entries('acme')).map((e) => e.position)).toEqual(['1024', '2048']);
  });

  it('stores the subtrees every inclusion proof needs, for each size it passes through', async () => {
    for (let seq = 1; seq <= 21; seq++) await useCase.execute([message(seq, 'acme', 'audit', [auditEvent(), ...(seq % 3 === 0 ? [auditEvent()] : [])])]);
    const leaves = (await entries('acme')).map((e) => e.leafHash);
    const nodes = new Map<string, Hash>();
    leaves.forEach((h, i) => nodes.set(nodeKey({ level: 0, index: i }), h));
    for (const r of (await ds.query(`SELECT level, idx, hash FROM integrity_nodes WHERE tenant_id = 'acme'`)) as { level: number; idx: string; hash: Buffer }[]) {
      nodes.set(nodeKey({ level: r.level, index: Number(r.idx) }), r.hash);
    }
    const read = (n: NodeId) => nodes.get(nodeKey(n)) ?? fail(`node ${nodeKey(n)} missing`);
    for (let i = 0; i < leaves.length; i++) expect(rangeHashes(inclusionRanges(i, leaves.length), read)).toEqual(inclusionProof(leaves, i));
  });

  it('is the same log whatever the batching and the redeliveries (the same roots as one pass in stream order)', async () => {
    const stream: Message[] = [];
    for (let seq = 1; seq <= 12; seq++) {
      const tenant = seq % 3 === 0 ? 'globex' : 'acme';
      stream.push(seq % 4 === 0 ? message(seq, tenant, 'run', [report()]) : message(seq, tenant, 'audit', [auditEvent(), auditEvent()]));
    }
    await useCase.execute(stream);
    const expected = { acme: await entries('acme'), globex: await entries('globex') };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 4 }), async (cuts, repeats) => {
        await ds.query(`TRUNCATE ${TABLES}`);
        // In order, in batches of the given sizes; now and then an already committed batch comes again.
        const batches: Message[][] = [];
        for (let at = 0, i = 0; at < stream.length; at += cuts[i % cuts.length] as number, i++) batches.push(stream.slice(at, at + (cuts[i % cuts.length] as number)));
        for (let b = 0; b < batches.length; b++) {
          await useCase.execute(batches[b] as Message[]);
          const again = repeats[b];
          if (again !== undefined) await useCase.execute(batches[again % (b + 1)] as Message[]);
        }
        for (const tenant of ['acme', 'globex'] as const) {
          expect((await entries(tenant)).map((e) => [e.index, e.position, e.leafHash.toString('hex')])).toEqual(
            expected[tenant].map((e) => [e.index, e.position, e.leafHash.toString('hex')]),
          );
        }
      }),
      { numRuns: 15 },
    );
  });
});

function fail(message: string): never {
  throw new Error(message);
}
