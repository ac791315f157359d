import { randomUUID } from 'node:crypto';
import { openDatabase } from '@runtrail/persistence';
import { loadConfig } from '@runtrail/platform';
import { auditEvent, databaseUrl, dropDatabase, uniqueName } from '@runtrail/testing';
import type { DataSource } from 'typeorm';
import { ProjectorConfig } from '../src/config/projector.config';
import type { TestProjection } from './project-batch-usecase';
import { memoryVault, projectBatchUseCase } from './project-batch-usecase';

const NS = 'pbtest';

function message(seq: number, tenantId: string, events: Record<string, unknown>[], kind = 'audit') {
  const envelope = {
    v: 1,
    kind,
    tenantId,
    submitter: { type: 'Application', id: 'key-1', name: 'ci' },
    receivedAt: '2026-01-01T00:00:00.000Z',
    events: events.map((e) => ({ version: '1.0', success: true, context: {}, entityId: null, entityName: null, sourceId: null, ...e })),
  };
  return { seq, subject: `${NS}.evt.${tenantId}.${kind}`, data: Buffer.from(JSON.stringify(envelope)) };
}

describe('ProjectBatchUseCase (real Postgres)', () => {
  const database = uniqueName('projbatch');
  let ds: DataSource;
  let useCase: TestProjection;

  const rows = async () =>
    (await ds.query(`SELECT id, tenant_id, event_id, action, stream_seq FROM audit_events ORDER BY id`)) as {
      id: string;
      tenant_id: string;
      event_id: string;
      action: string;
      stream_seq: string;
    }[];

  beforeAll(async () => {
    ds = await openDatabase({ url: databaseUrl(database), applicationName: 'projector-test', poolSize: 4 });
    const config = loadConfig(ProjectorConfig, { RUNTRAIL_NAMESPACE: NS, DATABASE_URL: databaseUrl(database) });
    useCase = projectBatchUseCase(ds, config);
  });

  beforeEach(async () => {
    await ds.query(`TRUNCATE audit_events, dead_letters, projector_checkpoints, integrity_logs, integrity_entries, integrity_nodes`);
  });

  afterAll(async () => {
    await ds.destroy();
    await dropDatabase(database);
  });

  it('writes every event of a batch with ids that grow in stream order', async () => {
    const batch = [
      message(1, 'acme', [auditEvent({ action: 'Create' }), auditEvent({ action: 'Update' })]),
      message(2, 'acme', [auditEvent({ action: 'Delete' })]),
    ];
    const outcome = await useCase.execute(batch);
    expect(outcome).toMatchObject({ insertedRows: 3, deadLettered: 0, lastSeq: 2 });
    expect((await rows()).map((r) => [r.id, r.action, r.stream_seq])).toEqual([
      ['1024', 'Create', '1'],
      ['1025', 'Update', '1'],
      ['2048', 'Delete', '2'],
    ]);
  });

  it('changes nothing when a committed batch is redelivered (ack lost after COMMIT)', async () => {
    const batch = [message(1, 'acme', [auditEvent()]), message(2, 'acme', [auditEvent()])];
    await useCase.execute(batch);
    const before = await rows();
    const again = await useCase.execute(batch);
    expect(again).toMatchObject({ insertedRows: 0, lastSeq: 2 });
    expect(await rows()).toEqual(before);
  });

  it('projects a message redelivered after later ones were committed (nothing lost)', async () => {
    // seq 1 was fetched when the server went away, so it comes back after seq 2.
    const first = message(1, 'acme', [auditEvent({ action: 'Create' })]);
    await useCase.execute([message(2, 'acme', [auditEvent({ action: 'Update' })])]);
    await useCase.execute([first]);
    expect((await rows()).map((r) => [r.id, r.action])).toEqual([
      ['1024', 'Create'],
      ['2048', 'Update'],
    ]);
    const [checkpoint] = await ds.query(`SELECT last_seq FROM projector_checkpoints`);
    expect(checkpoint.last_seq).toBe('2');
  });

  it('keeps the earliest stream position of a re-sent event, whatever the delivery order', async () => {
    const event = auditEvent();
    await useCase.execute([message(7, 'acme', [{ ...event, action: 'Delete' }])]);
    await useCase.execute([message(3, 'acme', [event])]);
    await useCase.execute([message(7, 'acme', [{ ...event, action: 'Delete' }])]);
    expect((await rows()).map((r) => [r.id, r.action, r.stream_seq])).toEqual([['3072', 'Update', '3']]);
  });

  it('stores an event repeated inside one batch once', async () => {
    const event = auditEvent();
    const outcome = await useCase.execute([message(1, 'acme', [event, { ...event, action: 'Delete' }]), message(2, 'acme', [event])]);
    expect(outcome.insertedRows).toBe(1);
    expect((await rows()).map((r) => [r.id, r.action])).toEqual([['1024', 'Update']]);
  });

  it('stores an event re-sent later under the same eventId once, whatever the broker window', async () => {
    const event = auditEvent();
    await useCase.execute([message(1, 'acme', [event])]);
    const later = await useCase.execute([message(9, 'acme', [{ ...event, action: 'Delete' }])]);
    expect(later.insertedRows).toBe(0);
    expect((await rows()).map((r) => r.action)).toEqual(['Update']);
  });

  it('keeps the same eventId of two tenants apart', async () => {
    const eventId = randomUUID();
    await useCase.execute([message(1, 'acme', [auditEvent({ eventId })]), message(2, 'globex', [auditEvent({ eventId })])]);
    expect((await rows()).map((r) => r.tenant_id).sort()).toEqual(['acme', 'globex']);
  });

  it('moves a message that can never be projected to dead_letters and projects the rest', async () => {
    const poison = { seq: 2, subject: `${NS}.evt.acme.audit`, data: Buffer.from('{not json') };
    const wrongTenant = { ...message(3, 'acme', [auditEvent()]), subject: `${NS}.evt.globex.audit` };
    const outcome = await useCase.execute([message(1, 'acme', [auditEvent()]), poison, wrongTenant, message(4, 'acme', [auditEvent()])]);
    expect(outcome).toMatchObject({ insertedRows: 2, deadLettered: 2, lastSeq: 4 });
    const dead: { stream_seq: string; reason: string; payload: Buffer }[] = await ds.query(
      `SELECT stream_seq, reason, payload FROM dead_letters ORDER BY stream_seq`,
    );
    expect(dead.map((d) => [d.stream_seq, d.reason])).toEqual([
      ['2', 'payload is not JSON'],
      ['3', 'tenant in payload differs from subject'],
    ]);
    expect(dead[0].payload.toString()).toBe('{not json');
  });

  it('rolls back the whole batch, checkpoint included, when a write fails for a reason other than the data', async () => {
    // Dead letters are written after the batch's rows, so those are in the transaction by then.
    await ds.query(`REVOKE INSERT ON dead_letters FROM runtrail_projector`);
    try {
      const poison = { seq: 2, subject: `${NS}.evt.acme.audit`, data: Buffer.from('not json') };
      await expect(useCase.execute([message(1, 'acme', [auditEvent()]), poison])).rejects.toThrow(/permission denied/);
      expect(await rows()).toHaveLength(0);
      expect(await ds.query(`SELECT * FROM projector_checkpoints WHERE last_seq > 0`)).toHaveLength(0);
    } finally {
      await ds.query(`GRANT INSERT ON dead_letters TO runtrail_projector`);
    }
  });

  it('dead-letters a message whose rows Postgres refuses, and projects the rest of its batch', async () => {
    await ds.query(`ALTER TABLE audit_events ADD CONSTRAINT no_deletes CHECK (action <> 'Delete')`);
    try {
      const batch = [message(1, 'acme', [auditEvent()]), message(2, 'acme', [auditEvent({ action: 'Delete' })]), message(3, 'globex', [auditEvent()])];
      await expect(useCase.execute(batch)).resolves.toMatchObject({ projectedMessages: 2, deadLettered: 1, lastSeq: 3 });
      expect((await rows()).map((r) => r.stream_seq)).toEqual(['1', '3']);
      const dead: { stream_seq: string; reason: string }[] = await ds.query(`SELECT stream_seq, reason FROM dead_letters`);
      expect(dead).toEqual([{ stream_seq: '2', reason: 'Postgres refused its rows (SQLSTATE 23514)' }]);
      const [checkpoint] = await ds.query(`SELECT last_seq FROM projector_checkpoints`);
      expect(checkpoint.last_seq).toBe('3');
    } finally {
      await ds.query(`ALTER TABLE audit_events DROP CONSTRAINT no_deletes`);
    }
  });

  it('keeps the highest revision of a schedule whatever the arrival order, and a deleted schedule deleted', async () => {
    const id = randomUUID();
    const fact = (revision: number, over: Record<string, unknown> = {}) => ({
      id, runId: randomUUID(), cron: '0 3 * * 1', timezone: 'Europe/Berlin', reason: 'drill', runnerId: null, until: null,
      nextFireAt: '2026-03-02T02:00:00.000Z', paused: false, createdAt: '2026-03-01T10:00:00.000Z', correlationId: null,
      createdBy: { sourceType: 'User', sourceId: 'k1', sourceName: 'alice' }, lastFiredAt: null, lastCommandId: null, lastError: null,
      deleted: false, revision, ...over,
    });
    await useCase.execute([message(3, 'acme', [fact(9, { deleted: true, paused: true })], 'schedule')]);
    await useCase.execute([message(1, 'acme', [fact(2)], 'schedule'), message(2, 'acme', [fact(5, { paused: true })], 'schedule')]);
    const stored = await ds.query(`SELECT deleted, paused, revision, next_fire_at FROM schedules WHERE id = $1`, [id]);
    expect(stored).toEqual([{ deleted: true, paused: true, revision: '9', next_fire_at: new Date('2026-03-02T02:00:00.000Z') }]);
    const bad = await useCase.execute([message(4, 'acme', [fact(10, { id: 'not-a-uuid' })], 'schedule')]);
    expect(bad.deadLettered).toBe(1);
  });

  it('rebuilds from the stream to exactly the same table', async () => {
    const stream = Array.from({ length: 30 }, (_, i) =>
      message(i + 1, i % 3 === 0 ? 'globex' : 'acme', [auditEvent(), auditEvent({ action: 'Login' })]),
    );
    // incremental: odd batch sizes, a redelivery, and two messages arriving late
    await useCase.execute(stream.slice(0, 7));
    await useCase.execute([...stream.slice(5, 12), ...stream.slice(14, 19)]);
    await useCase.execute(stream.slice(19));
    await useCase.execute(stream.slice(12, 14));
    const incremental = await rows();
    // rebuild: drop the projection and replay from sequence 1 in one go
    await ds.query(`TRUNCATE audit_events, projector_checkpoints, integrity_logs, integrity_entries, integrity_nodes`);
    await useCase.execute(stream);
    expect(await rows()).toEqual(incremental);
    expect(incremental).toHaveLength(60);
  });
  it('writes as its own database role, under that role\'s row-level policy', async () => {
    // A superuser or the owner would pass this policy by; the projector's role may not.
    await ds.query(`ALTER POLICY projector_writes ON audit_events WITH CHECK (tenant_id <> 'quarantined')`);
    try {
      await expect(useCase.execute([message(1, 'quarantined', [auditEvent()])])).rejects.toThrow(/row-level security/);
      await useCase.execute([message(2, 'acme', [auditEvent()])]);
      expect((await rows()).map((r) => r.tenant_id)).toEqual(['acme']);
    } finally {
      await ds.query(`ALTER POLICY projector_writes ON audit_events WITH CHECK (true)`);
    }
  });

  it('stores changes and correlationId as given, and null for events stored before they existed', async () => {
    const changes = { replicas: { before: 2, after: 3 }, labels: { before: { a: ['x', null] }, after: null }, note: { after: 'Grüße 😀' } };
    const withFields = auditEvent({ changes, correlationId: 'pipeline-7' });
    const old = auditEvent();
    await useCase.execute([message(1, 'acme', [withFields, old])]);
    const stored: { event_id: string; changes: unknown; correlation_id: string | null }[] = await ds.query(
      `SELECT event_id, changes, correlation_id FROM audit_events ORDER BY id`,
    );
    expect(stored).toEqual([
      { event_id: withFields.eventId, changes, correlation_id: 'pipeline-7' },
      { event_id: old.eventId, changes: null, correlation_id: null },
    ]);
  });

  it('dead-letters an event whose changes or correlationId has the wrong type', async () => {
    const outcome = await useCase.execute([
      message(1, 'acme', [auditEvent({ changes: 'x' })]),
      message(2, 'acme', [auditEvent({ correlationId: 7 })]),
      message(3, 'acme', [auditEvent()]),
    ]);
    expect(outcome).toMatchObject({ insertedRows: 1, deadLettered: 2 });
  });

  it('decodes the next transaction group while the current one is written, and commits the groups in stream order', async () => {
    const steps: string[] = [];
    // Three messages of about 1.2 MiB: each is a transaction group of its own.
    const big = [1, 2, 3].map((seq) => {
      const m = message(seq, 'acme', [auditEvent({ entityName: 'x'.repeat(1_200_000) })]);
      const envelope = JSON.parse(m.data.toString()) as Record<string, unknown>;
      return { ...m, data: Buffer.from(JSON.stringify({ ...envelope, vault: `acme.k${seq}` })) };
    });
    const vault = memoryVault();
    const watchedVault = { ...vault, values: (key: string) => (steps.push(`decode ${key.slice(-2)}`), vault.values(key)) };
    let transactions = 0;
    const watchedDs = new Proxy(ds, {
      get: (target, prop, receiver) =>
        prop === 'transaction'
          ? async (...args: Parameters<DataSource['transaction']>) => {
              const n = ++transactions;
              steps.push(`begin ${n}`);
              const result: unknown = await (target.transaction as (...a: unknown[]) => Promise<unknown>)(...args);
              steps.push(`commit ${n}`);
              return result;
            }
          : Reflect.get(target, prop, receiver),
    });
    const config = loadConfig(ProjectorConfig, { RUNTRAIL_NAMESPACE: NS, DATABASE_URL: databaseUrl(database) });
    const outcome = await projectBatchUseCase(watchedDs, config, watchedVault).execute(big);

    expect(outcome).toMatchObject({ insertedRows: 3, lastSeq: 3 });
    expect(steps.filter((s) => !s.startsWith('decode'))).toEqual(['begin 1', 'commit 1', 'begin 2', 'commit 2', 'begin 3', 'commit 3']);
    expect(steps.indexOf('decode k2')).toBeLessThan(steps.indexOf('commit 1'));
    expect(steps.indexOf('decode k3')).toBeLessThan(steps.indexOf('commit 2'));
    expect((await rows()).map((r) => r.stream_seq)).toEqual(['1', '2', '3']);
  });
});
