import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { PostgresServer, auditEvent, databaseUrl, eventually, request, startTestStack, type TestStack } from '@runtrail/testing';

/**
 * DATABASE_READ_URL: the query service reads from a streaming replica the test makes of the
 * stack's private Postgres (pg_basebackup -R, hot standby). Pausing the replica's WAL replay
 * shows where the answers come from: an event the projector committed on the primary stays
 * out of `GET /v1/audit` until the replica replays it.
 */
describe('query service on a Postgres read replica', () => {
  let primary: PostgresServer;
  let replica: PostgresServer;
  let t: TestStack;
  let standby: Client;
  let key: string;

  beforeAll(async () => {
    primary = await PostgresServer.start();
    replica = await PostgresServer.startReplica(primary);
    t = await startTestStack('e2ereplica', ({ database }) => ({ DATABASE_READ_URL: databaseUrl(database, replica.adminUrl) }), {
      postgresAdminUrl: primary.adminUrl,
    });
    standby = new Client({ connectionString: replica.adminUrl });
    await standby.connect();
    key = await t.createKey('acme', ['events:write', 'audit:read']);
  }, 120_000);

  afterAll(async () => {
    await standby?.query('SELECT pg_wal_replay_resume()').catch(() => undefined);
    await standby?.end();
    await t?.stop();
    await replica?.destroy();
    await primary?.destroy();
  });

  const submit = async (entityId: string) => {
    const res = await request('POST', `${t.ingestUrl}/v1/audit-events`, { key, body: auditEvent({ entityId, eventId: randomUUID() }) });
    expect(res.status).toBe(202);
  };
  const shown = async (entityId: string) => {
    const res = await request<unknown[]>('GET', `${t.queryUrl}/v1/audit?entity_type=Project&entity_id=${entityId}`, { key });
    expect(res.status).toBe(200);
    return res.body.length;
  };
  const onPrimary = async (entityId: string) =>
    Number((await t.query<{ n: string }>('SELECT count(*) AS n FROM audit_events WHERE entity_id = $1', [entityId]))[0].n);

  it('is ready with the replica, and says so in /readyz', async () => {
    const ready = await request<{ status: string; checks: Record<string, boolean> }>('GET', `${t.queryUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toMatchObject({ postgres: true, postgres_read: true });
  });

  it('answers from the replica: a row it has not replayed yet is not shown, and is once replayed', async () => {
    await submit('before-pause');
    await eventually(async () => ((await shown('before-pause')) === 1 ? true : undefined), 30_000, 'the first event through the replica');

    await standby.query('SELECT pg_wal_replay_pause()');
    await eventually(async () => ((await standby.query('SELECT pg_get_wal_replay_pause_state() AS s')).rows[0].s === 'paused' ? true : undefined));
    await submit('during-pause');
    await eventually(async () => ((await onPrimary('during-pause')) === 1 ? true : undefined), 30_000, 'the projector committing on the primary');
    expect(await shown('during-pause')).toBe(0);

    await standby.query('SELECT pg_wal_replay_resume()');
    await eventually(async () => ((await shown('during-pause')) === 1 ? true : undefined), 30_000, 'the replica replaying the commit');
  }, 90_000);
});
