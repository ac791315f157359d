import { TcpProxy, auditEvent, eventually, metric, redeliveries, request, startTestStack, type TestStack } from '@runtrail/testing';
import { STREAM_PARTITIONS } from '@runtrail/contracts';

/**
 * Postgres goes away for the projector and the query service (their connections
 * run through a relay the test cuts; the shared server keeps running). Ingest keeps
 * accepting, since it does not need the database; the projector stops fetching and
 * holds its batch instead of burning redeliveries; query answers 503; when the
 * database is back, everything catches up without a restart.
 */
describe('while Postgres is unreachable', () => {
  let proxy: TcpProxy;
  let t: TestStack;
  let key: string;

  beforeAll(async () => {
    proxy = await TcpProxy.start(5432);
    t = await startTestStack('pgdown', ({ database }) => ({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/${database}`,
      PROJECTOR_ACK_WAIT_SECONDS: '3',
      LOG_LEVEL: 'warn',
    }));
    key = await t.createKey('acme', ['events:write', 'audit:read']);
  }, 90_000);

  afterAll(async () => {
    await proxy?.restore();
    await t?.stop();
    await proxy?.cut();
  });

  const visible = async (eventId: unknown) => {
    const res = await request<{ eventId: string }[]>('GET', `${t.queryUrl}/v1/audit?limit=1000`, { key });
    return res.status === 200 && res.body.some((r) => r.eventId === eventId) ? true : undefined;
  };


  const owned = () => metric(t.projectorUrl, 'runtrail_projector_partitions_owned');

  it('keeps accepting, answers 503 where the database is needed, and catches up when it returns', async () => {
    const first = auditEvent();
    expect((await request('POST', `${t.ingestUrl}/v1/audit-events`, { key, body: first })).status).toBe(202);
    await eventually(() => visible(first.eventId));

    await proxy.cut();
    const during = Array.from({ length: 5 }, () => auditEvent());
    for (const e of during) {
      expect((await request('POST', `${t.ingestUrl}/v1/audit-events`, { key, body: e })).status).toBe(202);
    }
    const read = await request('GET', `${t.queryUrl}/v1/audit`, { key });
    expect(read.status).toBe(503);
    expect(read.headers.get('retry-after')).toBeTruthy();
    expect(read.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect(read.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|postgres:/);
    // A download reads before it writes: an error answer, not a file cut short.
    for (const format of ['json', 'csv']) {
      const file = await request('GET', `${t.queryUrl}/v1/audit?download=true&format=${format}`, { key });
      expect(file.status).toBe(503);
      expect(file.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      expect(file.headers.get('content-disposition')).toBeNull();
    }
    for (const url of [t.queryUrl, t.projectorUrl]) {
      const ready = await request('GET', `${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ checks: { postgres: false, nats: true } });
    }
    expect((await request('GET', `${t.ingestUrl}/readyz`)).status).toBe(200);

    // Without its Postgres session the projector cannot hold its partitions' locks: it gives
    // them all up (ADR 0019) rather than project what another instance may be taking over.
    await eventually(async () => ((await owned()) === 0 ? true : undefined), 30_000, 'the partitions given up');

    await proxy.restore();
    for (const e of during) await eventually(() => visible(e.eventId), 30_000, 'events posted during the outage');
    await eventually(async () => ((await owned()) === STREAM_PARTITIONS.length ? true : undefined), 30_000, 'every partition taken back');
    // Each partition resumed at its committed checkpoint, on a consumer made anew: nothing came twice.
    expect(await redeliveries(t)).toBe(0);
    expect((await request('GET', `${t.projectorUrl}/readyz`)).status).toBe(200);

    // The failures were logged, as structured fields: no stack trace, no SQL, no URL.
    const logs = t.stack.services.projector.output + t.stack.services.query.output;
    expect(logs).toMatch(/partitions: (lost the session holding them|cannot rebalance)/);
    // The handler's own error reached the transport: not Nest's generic RPC replacement.
    expect(logs).not.toMatch(/RpcExceptionsHandler|Internal server error/);
    expect(logs).not.toMatch(/"stack"|\n\s+at \S|INSERT INTO|postgres:\/\//);
  }, 120_000);
});
