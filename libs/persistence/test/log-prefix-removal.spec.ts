import { randomUUID } from 'node:crypto';
import { databaseUrl, dropDatabase, uniqueName } from '@runtrail/testing';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import {
  actAsProjector,
  ensureTimePartitions,
  insertIntegrityEntries,
  openDatabase,
  partitionsOf,
  planLogCut,
  removeLogPrefixes,
  streamPosition,
  upsertAuditEvents,
  writeRows,
  type AuditEventRow,
  type IntegrityEntryRow,
} from '../src';

/** Where retention cuts a tenant's log, and what the cut removes (docs/retention.md). */
describe('log prefix removal (real Postgres)', () => {
  const database = uniqueName('retention');
  let ds: DataSource;

  beforeAll(async () => {
    ds = await openDatabase({ url: databaseUrl(database), applicationName: 'retention-test', poolSize: 2 });
  });

  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(database);
  });

  const asProjector = <T>(work: (em: EntityManager) => Promise<T>) =>
    ds.transaction(async (em) => {
      await actAsProjector(em);
      return work(em);
    });
  const asOwner = <T>(work: (runner: QueryRunner) => Promise<T>) => ds.transaction((em) => work(em.queryRunner as QueryRunner));

  /** An entry of the tenant's log: `[seq, index in message]` gives its position. */
  interface Fact {
    at: [number, number];
    receivedAt: string;
    kind?: 'audit-event' | 'action-run-report';
    /** A report's run. */
    run?: string;
  }

  /** Logs the facts in order, each audit fact with its timeline row; answers the rows. */
  async function seed(tenantId: string, facts: Fact[]): Promise<AuditEventRow[]> {
    const entries: IntegrityEntryRow[] = facts.map((f, index) => ({
      tenantId,
      index,
      entryId: randomUUID(),
      kind: f.kind ?? 'audit-event',
      ref: f.run ?? randomUUID(),
      position: streamPosition(f.at[0], f.at[1]),
      receivedAt: f.receivedAt,
      leafHash: Buffer.alloc(32, index),
    }));
    const rows = entries.filter((e) => e.kind === 'audit-event').map((e): AuditEventRow => ({
      id: e.position,
      tenantId,
      eventId: e.entryId,
      happenedAt: e.receivedAt,
      action: 'Update',
      version: '1.0',
      entityType: 'Project',
      entityId: '1',
      entityName: 'p',
      sourceType: 'User',
      sourceId: null,
      sourceName: 's',
      success: true,
      context: {},
      receivedAt: e.receivedAt,
      changes: null,
      correlationId: null,
      submittedBy: { type: 'Application', id: 'k', name: 'k' },
      streamSeq: Number(e.position) >> 10,
    }));
    await asProjector(async (em) => {
      await writeRows(em, insertIntegrityEntries, entries);
      await em.query(`INSERT INTO integrity_logs (tenant_id, size, frontier, last_position, updated_at) VALUES ($1, $2, '\\x', 0, now())`, [tenantId, entries.length]);
      await writeRows(em, upsertAuditEvents, rows);
    });
    return rows;
  }

  const cutOf = (tenantId: string, before: string) => asOwner((runner) => planLogCut(runner, tenantId, new Date(before)));
  const OLD = '2025-03-10T00:00:00.000Z';
  const NEW = '2025-06-10T00:00:00.000Z';
  const CUTOFF = '2025-05-01T00:00:00.000Z';

  it('cuts before the first entry received after the cutoff', async () => {
    const t = randomUUID();
    await seed(t, [{ at: [1, 0], receivedAt: OLD }, { at: [2, 0], receivedAt: OLD }, { at: [3, 0], receivedAt: NEW }, { at: [4, 0], receivedAt: OLD }]);
    // The last entry is old too, but it comes after a young one: only a prefix goes.
    expect(await cutOf(t, CUTOFF)).toMatchObject({ fromIndex: 0, upToIndex: 2, afterPosition: '0', upToPosition: streamPosition(2, 0), keptFrom: new Date(OLD) });
  });

  it('cuts only where a stream message ends', async () => {
    const t = randomUUID();
    // Message 2 holds entries 1 to 3; the last of them is young.
    await seed(t, [{ at: [1, 0], receivedAt: OLD }, { at: [2, 0], receivedAt: OLD }, { at: [2, 1], receivedAt: OLD }, { at: [2, 2], receivedAt: NEW }]);
    expect(await cutOf(t, CUTOFF)).toMatchObject({ upToIndex: 1, upToPosition: streamPosition(1, 0) });
  });

  it("never cuts between a run's reports", async () => {
    const t = randomUUID();
    const run = randomUUID();
    await seed(t, [
      { at: [1, 0], receivedAt: OLD },
      { at: [2, 0], receivedAt: OLD, kind: 'action-run-report', run },
      { at: [3, 0], receivedAt: OLD },
      { at: [4, 0], receivedAt: NEW, kind: 'action-run-report', run },
    ]);
    expect(await cutOf(t, CUTOFF)).toMatchObject({ upToIndex: 1 });
  });

  it('removes nothing at or above the position of an entry it keeps (one appended out of stream order)', async () => {
    const t = randomUUID();
    // Entry 3 was appended late, after a young entry: it is kept, and its position is below entry 1's, so entry 1 stays too.
    await seed(t, [{ at: [1, 0], receivedAt: OLD }, { at: [3, 0], receivedAt: OLD }, { at: [4, 0], receivedAt: NEW }, { at: [2, 0], receivedAt: OLD }]);
    expect(await cutOf(t, CUTOFF)).toMatchObject({ upToIndex: 1, upToPosition: streamPosition(1, 0) });
  });

  it('drops a month partition that holds only removed rows, deletes the rest of the prefix by position, keeps keys, and records the cut', async () => {
    const [t, neighbour] = [randomUUID(), randomUUID()];
    await asOwner((runner) => ensureTimePartitions(runner, new Date('2024-01-01T00:00:00Z'), 2));
    // January: only t's rows; February: t's and a neighbour's that keeps everything; March: t's young ones.
    const rows = await seed(t, [
      { at: [101, 0], receivedAt: '2024-01-05T00:00:00.000Z' },
      { at: [101, 1], receivedAt: '2024-01-05T00:00:00.000Z' },
      { at: [102, 0], receivedAt: '2024-02-05T00:00:00.000Z' },
      { at: [103, 0], receivedAt: '2024-03-05T00:00:00.000Z' },
    ]);
    await seed(neighbour, [{ at: [104, 0], receivedAt: '2024-02-06T00:00:00.000Z' }]);
    const round = await asOwner((runner) => removeLogPrefixes(runner, new Map([[t, new Date('2024-03-01T00:00:00Z')]]), new Date('2024-06-01T00:00:00Z')));
    // (The empty run partitions of those months go too.)
    expect(round.droppedPartitions.filter((d) => d.table === 'audit_events').map((d) => [d.partition, d.rows.map((r) => r.rows)])).toEqual([['audit_events_p202401', [2]]]);
    expect(round.removals.map((r) => [r.cut.tenantId, r.entries, r.cut.upToIndex])).toEqual([[t, 3, 3]]);
    const names = (await asOwner((runner) => partitionsOf(runner, 'audit_events'))).map((p) => p.name);
    expect(names).not.toContain('audit_events_p202401');
    expect(names).toContain('audit_events_p202402');
    expect(await ds.query(`SELECT id::text FROM audit_events WHERE tenant_id IN ($1, $2) ORDER BY id`, [t, neighbour])).toEqual([{ id: rows[3].id }, { id: streamPosition(104, 0) }]);
    // The keys of removed events stay (a re-sent one is still a duplicate); the log keeps every entry.
    expect(await ds.query(`SELECT count(*)::int AS n FROM audit_event_keys WHERE tenant_id = $1`, [t])).toEqual([{ n: 4 }]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM integrity_entries WHERE tenant_id = $1`, [t])).toEqual([{ n: 4 }]);
    expect(await ds.query(`SELECT up_to_index::int AS k, up_to_position::text AS p FROM integrity_removals WHERE tenant_id = $1`, [t])).toEqual([{ k: 3, p: streamPosition(102, 0) }]);

    // Again: nothing more is due, and the next cut starts where this one stopped.
    const again = await asOwner((runner) => removeLogPrefixes(runner, new Map([[t, new Date('2024-03-01T00:00:00Z')]]), new Date('2024-06-02T00:00:00Z')));
    expect(again.removals).toEqual([]);
    expect(again.cuts).toMatchObject([{ fromIndex: 3, upToIndex: 3, afterPosition: streamPosition(102, 0) }]);
  });
});
