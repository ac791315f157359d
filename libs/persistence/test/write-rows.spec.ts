import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { databaseUrl, dropDatabase, uniqueName } from '@runtrail/testing';
import type { DataSource, EntityManager } from 'typeorm';
import {
  STAGE_FROM_ROWS,
  actAsProjector,
  auditEventsTable,
  insertIntegrityNodes,
  integrityNodesTable,
  openDatabase,
  upsertAuditEvents,
  writeRows,
  type AuditEventRow,
  type IntegrityNodeRow,
} from '../src';

/** Text with everything COPY's text format must escape, and more: backslashes, tabs, line breaks, `\N`, quotes, non-ASCII. */
const awkward = fc.array(fc.constantFrom('a', 'Z', ' ', '\\', '\t', '\n', '\r', '\\N', '"', "'", ',', 'é', '漢', '🙂', '{', '}'), { maxLength: 24 }).map((parts) => parts.join(''));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }).map((ms) => new Date(ms).toISOString());

type Generated = Omit<AuditEventRow, 'id' | 'tenantId' | 'eventId'>;

const auditRow: fc.Arbitrary<Generated> = fc.record({
  happenedAt: instant,
  action: awkward,
  version: awkward,
  entityType: awkward,
  entityId: maybe(awkward),
  entityName: maybe(awkward),
  sourceType: fc.constantFrom('User' as const, 'Application' as const),
  sourceId: maybe(awkward),
  sourceName: awkward,
  success: fc.boolean(),
  context: fc.dictionary(awkward, awkward, { maxKeys: 4 }),
  receivedAt: instant,
  changes: maybe(fc.dictionary(awkward, fc.record({ before: maybe(awkward), after: maybe(awkward) }), { maxKeys: 3 })),
  correlationId: maybe(awkward),
  submittedBy: fc.record({ type: fc.constant('Application' as const), id: fc.uuid(), name: awkward }),
  streamSeq: fc.integer({ min: 1, max: 2 ** 40 }),
});

describe('writeRows: large batches staged by COPY (real Postgres)', () => {
  const database = uniqueName('copy');
  let ds: DataSource;
  let nextId = 1;

  const inTransaction = <T>(work: (em: EntityManager) => Promise<T>) =>
    ds.transaction(async (em) => {
      await actAsProjector(em);
      return work(em);
    });

  const stored = async (tenantId: string): Promise<AuditEventRow[]> =>
    (await ds.query(`SELECT ${auditEventsTable.select()} FROM audit_events WHERE tenant_id = $1 ORDER BY id`, [tenantId])).map(
      (raw: Record<string, unknown>) => auditEventsTable.decode(raw),
    );

  beforeAll(async () => {
    ds = await openDatabase({ url: databaseUrl(database), applicationName: 'copy-test', poolSize: 2 });
  });

  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(database);
  });

  /** A batch large enough to be staged, from a few generated rows repeated with fresh keys. */
  const staged = (generated: Generated[], tenantId: string): AuditEventRow[] =>
    Array.from({ length: STAGE_FROM_ROWS }, (_, i) => ({ ...generated[i % generated.length], tenantId, id: String(nextId++), eventId: randomUUID() }));

  it('stores every value of a staged batch exactly as the batch insert does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(auditRow, { minLength: 1, maxLength: 8 }), async (generated) => {
        const [copied, inserted] = [randomUUID(), randomUUID()];
        expect(await inTransaction((em) => writeRows(em, upsertAuditEvents, staged(generated, copied)))).toBe(STAGE_FROM_ROWS);
        await inTransaction((em) => em.query(upsertAuditEvents.text, upsertAuditEvents.params(staged(generated, inserted))));
        const strip = ({ id: _id, tenantId: _t, eventId: _e, ...rest }: AuditEventRow) => rest;
        expect((await stored(copied)).map(strip)).toEqual((await stored(inserted)).map(strip));
      }),
      { numRuns: 30 },
    );
  });

  it('stores bytes and integers as the batch insert does', async () => {
    const nodes: IntegrityNodeRow[] = Array.from({ length: STAGE_FROM_ROWS }, (_, i) => ({
      tenantId: 'bytes',
      level: i,
      index: 2 ** 40 + i,
      hash: Buffer.from([i, 92, 9, 10, 0, 255 - i]),
    }));
    await inTransaction((em) => writeRows(em, insertIntegrityNodes, nodes));
    const back = await ds.query(`SELECT ${integrityNodesTable.select()} FROM integrity_nodes WHERE tenant_id = 'bytes' ORDER BY level`);
    expect(back.map((raw: Record<string, unknown>) => integrityNodesTable.decode(raw))).toEqual(nodes);
  });

  it('applies the upsert rule to staged rows: the earliest stream position of an event wins', async () => {
    const tenantId = randomUUID();
    const [generated] = fc.sample(auditRow, { numRuns: 1, seed: 7 });
    const batch = staged([generated], tenantId).map((r) => ({ ...r, id: String(Number(r.id) + 1_000_000) }));
    await inTransaction((em) => writeRows(em, upsertAuditEvents, batch));
    // Half the events again from earlier positions (late redeliveries), half from later ones (re-sent).
    const again = batch.map((r, i) => ({ ...r, id: String(Number(r.id) + (i % 2 === 0 ? -500_000 : 500_000)), action: 'again' }));
    const changed = await inTransaction((em) => writeRows(em, upsertAuditEvents, again));
    expect(changed).toBe(STAGE_FROM_ROWS / 2);
    const rows = await stored(tenantId);
    expect(rows.map((r) => [r.eventId, r.id, r.action])).toEqual(
      [...batch.map((r, i) => (i % 2 === 0 ? again[i] : r))].sort((a, b) => Number(a.id) - Number(b.id)).map((r) => [r.eventId, r.id, r.action]),
    );
  });

  it("still writes under the role's row-level policy", async () => {
    await ds.query(`ALTER POLICY projector_writes ON audit_events WITH CHECK (tenant_id <> 'quarantined')`);
    try {
      const [generated] = fc.sample(auditRow, { numRuns: 1, seed: 3 });
      await expect(inTransaction((em) => writeRows(em, upsertAuditEvents, staged([generated], 'quarantined')))).rejects.toThrow(/row-level security/);
    } finally {
      await ds.query(`ALTER POLICY projector_writes ON audit_events WITH CHECK (true)`);
    }
  });

  it('leaves nothing in the staging table after the commit', async () => {
    const [generated] = fc.sample(auditRow, { numRuns: 1, seed: 5 });
    const left = await inTransaction(async (em) => {
      await writeRows(em, upsertAuditEvents, staged([generated], randomUUID()));
      return em.query('SELECT count(*)::int AS n FROM pg_temp.stage_audit_events');
    });
    // The timeline writes take their rows out of the staging table as they read them (Table.write).
    expect(left).toEqual([{ n: 0 }]);
    await expect(ds.transaction((em) => em.query('SELECT count(*)::int AS n FROM pg_temp.stage_audit_events'))).resolves.toEqual([{ n: 0 }]);
  });
});
