import { NatsServerProcess, auditEvent, eventually, request, startTestStack, type TestStack } from '@runtrail/testing';

/**
 * NATS goes away under a running stack (a private nats-server, so the shared one
 * keeps running): ingest answers 503 with Retry-After and never 202, /readyz says
 * 503; when NATS is back, everything recovers without restarting a service.
 */
describe('ingest while NATS is unreachable', () => {
  let nats: NatsServerProcess;
  let t: TestStack;
  let key: string;

  beforeAll(async () => {
    nats = await NatsServerProcess.start();
    // The loop below ignores Retry-After on purpose (no request may ever get a 202), far
    // faster than the default rate limits allow: they are off here, or it would see 429s.
    t = await startTestStack('outage', {
      NATS_URL: nats.url,
      PROJECTOR_ACK_WAIT_SECONDS: '3',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_KEY_PER_SECOND: '0',
      RATE_LIMIT_TENANT_PER_SECOND: '0',
    });
    key = await t.createKey('acme', ['events:write', 'audit:read']);
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
    await nats?.destroy();
  });

  const post = (event = auditEvent()) => request('POST', `${t.ingestUrl}/v1/audit-events`, { key, body: event });

  it('answers 503 (never 202) while NATS is down and recovers by itself', async () => {
    const before = auditEvent();
    expect((await post(before)).status).toBe(202);

    await nats.stop();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    const until = Date.now() + 4000;
    while (Date.now() < until) {
      const res = await post();
      statuses.push(res.status);
      retryAfter = res.headers.get('retry-after') ?? retryAfter;
      expect(res.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    }
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set([503]));
    expect(Number(retryAfter)).toBeGreaterThan(0);
    const ready = await request('GET', `${t.ingestUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ checks: { nats: false } });

    await nats.start();
    const after = auditEvent();
    await eventually(async () => ((await post(after)).status === 202 ? true : undefined), 30_000, 'ingest to accept again');
    await eventually(async () => ((await request('GET', `${t.ingestUrl}/readyz`)).status === 200 ? true : undefined));

    // Both events reach the audit API. The one fetched when the server went away comes
    // back after the other: the projector must still apply it.
    const found = await eventually(async () => {
      const res = await request<{ eventId: string }[]>('GET', `${t.queryUrl}/v1/audit?entity_type=Project&limit=1000`, { key }); // not the key's own entry
      const ids = res.status === 200 ? res.body.map((r) => r.eventId) : [];
      return ids.includes(before.eventId as string) && ids.includes(after.eventId as string) ? ids : undefined;
    }, 60_000, 'events queryable after recovery');
    expect(found).toHaveLength(2);

    const logs = Object.values(t.stack.services).map((s) => s.output).join('\n');
    expect(logs).toMatch(/NATS connection lost/);
    expect(logs).not.toMatch(/"stack"|\n\s+at \S/);
  }, 120_000);
});
