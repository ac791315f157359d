import { randomUUID } from 'node:crypto';
import { auditEvent, eventually, request, startTestStack, type TestStack } from '@runtrail/testing';

/**
 * The conventions and the ingest gateway of docs/api.md over HTTP against the three running services: authentication,
 * scopes, audit-event ingestion rules, errors. Spawns the compiled services.
 */
describe('ingest gateway contract', () => {
  let t: TestStack;
  let writer: string;
  let reader: string;

  beforeAll(async () => {
    t = await startTestStack('e2eingest');
    writer = await t.createKey('acme', ['events:write', 'audit:read'], 'control-plane');
    reader = await t.createKey('acme', ['audit:read']);
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
  });

  const postAs = (key: string | undefined, body: unknown) => request('POST', `${t.ingestUrl}/v1/audit-events`, { key, body });
  const post = (body: unknown) => postAs(writer, body);
  const stored = async (eventId: string, key = writer) => {
    const res = await request<{ eventId: string }[]>('GET', `${t.queryUrl}/v1/audit?limit=1000`, { key });
    return res.body.filter((r) => r.eventId === eventId);
  };

  describe('service endpoints', () => {
    it.each(['ingest', 'query', 'projector'] as const)('%s serves /healthz, /readyz and Prometheus /metrics', async (name) => {
      const base = { ingest: t.ingestUrl, query: t.queryUrl, projector: t.projectorUrl }[name];
      expect((await request('GET', `${base}/healthz`)).status).toBe(200);
      const ready = await request('GET', `${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ready' });
      const metrics = await request('GET', `${base}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(metrics.text).toMatch(/^# HELP /m);
      expect(metrics.text).toContain(`service="${name}"`);
    });

    it.each(['ingest', 'query'] as const)('%s serves its OpenAPI document and a /docs page', async (name) => {
      const base = name === 'ingest' ? t.ingestUrl : t.queryUrl;
      const doc = await request<{ openapi: string; paths: Record<string, unknown> }>('GET', `${base}/openapi.json`);
      expect(doc.status).toBe(200);
      expect(doc.body.openapi).toMatch(/^3\./);
      const expected =
        name === 'ingest'
          ? ['/v1/audit-events', '/v1/action-runs']
          : ['/v1/audit', '/v1/k8s/audit', '/v1/api-keys', '/v1/api-keys/{id}', '/v1/api-keys/{id}/rotate', '/v1/action-runs', '/v1/action-runs/stats',
              '/v1/action-runs/{id}', '/v1/deployments', '/v1/runners', '/v1/runners/{id}', '/v1/runner-session',
              '/v1/runner-session/heartbeat', '/v1/action-runs/{id}/retrigger', '/v1/commands', '/v1/commands/{id}',
              '/v1/commands/{id}/accept', '/v1/commands/{id}/status', '/v1/whoami', '/v1/viewer-tokens',
              '/v1/schedules', '/v1/schedules/{id}', '/v1/schedules/{id}/pause', '/v1/schedules/{id}/resume',
              '/v1/integrity/public-key', '/v1/integrity/checkpoint', '/v1/integrity/checkpoints', '/v1/integrity/entries',
              '/v1/integrity/proof', '/v1/integrity/consistency', '/v1/integrity/verify', '/v1/integrity/export', '/v1/erasure',
              '/v1/streams', '/v1/streams/{id}', '/v1/streams/{id}/pause', '/v1/streams/{id}/resume', '/v1/streams/{id}/test',
              '/v1/retention', '/v1/retention/apply'];
      expect(Object.keys(doc.body.paths).sort()).toEqual(expected.sort());
      const page = await request('GET', `${base}/docs`);
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/swagger/i);
    });

    it('documents exactly the query parameters the audit endpoints accept', async () => {
      const doc = await request<{ paths: Record<string, { get: { parameters: { name: string; in: string }[] } }> }>(
        'GET',
        `${t.queryUrl}/openapi.json`,
      );
      const contract = ['start', 'end', 'action', 'source_type', 'source_id', 'source_name', 'entity_type', 'entity_id',
        'success', 'correlation_id', 'changed_field', 'limit', 'offset', 'cursor', 'download', 'format'];
      for (const path of ['/v1/audit', '/v1/k8s/audit']) {
        const names = doc.body.paths[path].get.parameters.filter((p) => p.in === 'query').map((p) => p.name);
        expect(names.sort()).toEqual([...contract].sort());
      }
      // and the service really accepts each of them (an undocumented one is a 400)
      const query = 'start=2022-1-1&end=2030-1-1&action=Update&source_type=User&source_id=x&source_name=y&entity_type=Project&entity_id=1&success=true&correlation_id=c&changed_field=f&limit=5&offset=0';
      expect((await request('GET', `${t.queryUrl}/v1/audit?${query}`, { key: reader })).status).toBe(200);
    });

    it('answers an unknown route with the contract error shape', async () => {
      const res = await request('GET', `${t.ingestUrl}/v1/nope`, { key: writer });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
    });
  });

  describe('authentication and scopes', () => {
    it.each([
      ['no Authorization header', undefined],
      ['an unknown key', `rt_${'A'.repeat(40)}`],
      ['a malformed key', 'not-a-key'],
    ])('refuses %s with 401', async (_name, key) => {
      const res = await postAs(key, auditEvent());
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    });

    it('refuses a key without events:write with 403', async () => {
      const res = await postAs(reader, auditEvent());
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, message: 'API key lacks scope events:write' });
    });

    it('refuses the root key, which spans tenants, as a submitter', async () => {
      const res = await postAs(t.adminKey, auditEvent());
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ message: expect.stringMatching(/root key/) });
    });

    it('refuses a revoked key on every service within 5 seconds', async () => {
      const key = await t.createKey('acme', ['events:write', 'audit:read']);
      expect((await postAs(key, auditEvent())).status).toBe(202);
      const list = await request<{ id: string; name: string }[]>('GET', `${t.queryUrl}/v1/api-keys`, { key: t.adminKey });
      const id = list.body[0].id; // newest first
      expect((await request('DELETE', `${t.queryUrl}/v1/api-keys/${id}`, { key: t.adminKey })).status).toBe(204);
      const started = Date.now();
      await eventually(async () => ((await postAs(key, auditEvent())).status === 401 ? true : undefined), 5000);
      await eventually(async () => ((await request('GET', `${t.queryUrl}/v1/audit`, { key })).status === 401 ? true : undefined), 5000);
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });

  describe('POST /v1/audit-events', () => {
    it('accepts one object with 202 once stored, and it reaches the timeline with server stamps', async () => {
      const event = auditEvent();
      const res = await post(event);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ accepted: 1, eventIds: [event.eventId] });
      const [record] = await eventually(async () => {
        const found = await stored(event.eventId as string);
        return found.length ? found : undefined;
      });
      expect(record).toEqual({
        id: expect.any(Number),
        eventId: event.eventId,
        tenantId: 'acme',
        happenedAt: '2022-07-07T09:45:32.069Z',
        action: 'Update',
        version: '1.0',
        entityId: '1',
        entityType: 'Project',
        entityName: 'team-a',
        sourceType: 'User',
        sourceId: 'a79500fb-c452-471f-adc0-b65c972bd5c2',
        sourceName: 'test@run.ai',
        success: true,
        context: { user_agent: 'Mozilla/5.0', ip_address: '10.244.0.0' },
        receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        changes: null,
        correlationId: null,
      });
    });

    it('keeps happenedAt to the millisecond and returns it in UTC, whatever zone it was sent in', async () => {
      const event = auditEvent({ happenedAt: '2022-07-07T11:45:32.0699999+02:00' });
      expect((await post(event)).status).toBe(202);
      const [record] = await eventually(async () => {
        const found = await stored(event.eventId as string);
        return found.length ? found : undefined;
      });
      expect(record).toMatchObject({ happenedAt: '2022-07-07T09:45:32.069Z' });
    });

    it("records the key's principal as the submitter, which the body cannot choose", async () => {
      const event = auditEvent({ sourceType: 'User', sourceName: 'mallory@evil.io' });
      expect((await post(event)).status).toBe(202);
      await eventually(async () => ((await stored(event.eventId as string)).length ? true : undefined));
      const rows = await t.query('SELECT submitted_by, tenant_id FROM audit_events WHERE event_id = $1', [event.eventId]);
      expect(rows).toEqual([{ tenant_id: 'acme', submitted_by: { type: 'Application', id: expect.any(String), name: 'control-plane' } }]);
    });

    it('accepts an array of up to 1000 and generates eventIds where absent', async () => {
      const events = Array.from({ length: 1000 }, (_, i) => {
        const e = auditEvent({ entityId: `bulk-${i}` });
        if (i % 2) delete e.eventId;
        return e;
      });
      const res = await post(events);
      expect(res.status).toBe(202);
      const body = res.body as { accepted: number; eventIds: string[] };
      expect(body.accepted).toBe(1000);
      expect(new Set(body.eventIds).size).toBe(1000);
      expect(body.eventIds[0]).toBe(events[0].eventId);
      expect(body.eventIds[1]).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('stores an event re-sent with the same eventId once', async () => {
      const event = auditEvent();
      expect((await post(event)).status).toBe(202);
      expect((await post([event, { ...event, action: 'Delete' }])).status).toBe(202);
      const marker = auditEvent();
      expect((await post(marker)).status).toBe(202);
      await eventually(async () => ((await stored(marker.eventId as string)).length ? true : undefined));
      const copies = await stored(event.eventId as string);
      expect(copies).toHaveLength(1);
      expect(copies[0]).toMatchObject({ action: 'Update' });
    });

    it('stores concurrent single events in shared stream messages (ADR 0025), each once, with its own values and a receivedAt after it was sent', async () => {
      const sentAt = Date.now();
      const events = Array.from({ length: 120 }, (_, i) => auditEvent({ entityId: `grouped-${i}`, entityName: `group member ${i}`, sourceName: `sender-${i}@run.ai`, context: { ip_address: `10.9.0.${i}` } }));
      const answers = await Promise.all(events.map((e) => post(e)));
      expect(answers.map((a) => a.status)).toEqual(events.map(() => 202));
      const rows = await eventually(async () => {
        const found = await t.query<{ entity_id: string; entity_name: string; source_name: string; context: Record<string, string>; stream_seq: string; received_at: Date }>(
          "SELECT entity_id, entity_name, source_name, context, stream_seq, received_at FROM audit_events WHERE entity_id LIKE 'grouped-%'",
        );
        return found.length === events.length ? found : undefined;
      });
      for (const [i, e] of events.entries()) {
        const row = rows.find((r) => r.entity_id === e.entityId);
        expect(row).toMatchObject({ entity_name: `group member ${i}`, source_name: `sender-${i}@run.ai`, context: { ip_address: `10.9.0.${i}` } });
        expect(row?.received_at.getTime()).toBeGreaterThanOrEqual(sentAt - 5);
      }
      const messages = new Set(rows.map((r) => r.stream_seq)).size;
      expect(messages).toBeLessThan(events.length);
    });

    it('rejects a whole batch when one item is invalid, naming its index and field', async () => {
      const good = auditEvent();
      const res = await post([good, good, good, { ...auditEvent(), happenedAt: '2022-07-07T09:45:32' }]);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: [expect.stringMatching(/^\[3\]\.happenedAt must be an ISO-8601 date-time with a zone/)],
      });
      const marker = auditEvent();
      await post(marker);
      await eventually(async () => ((await stored(marker.eventId as string)).length ? true : undefined));
      expect(await stored(good.eventId as string)).toEqual([]);
    });

    it.each<[string, Record<string, unknown>, RegExp]>([
      ['a tenantId in the body (the tenant comes from the key)', { tenantId: 'globex' }, /^tenantId is not a known field$/],
      ['a submitter in the body', { submittedBy: 'someone' }, /^submittedBy is not a known field$/],
      ['an action that is not a capitalised word', { action: 'drop table' }, /^action must be/],
      ['an unknown sourceType', { sourceType: 'Robot' }, /^sourceType must be User or Application$/],
      ['a name over 256 characters', { entityName: 'x'.repeat(257) }, /^entityName must be shorter than or equal to 256/],
      ['a NUL character', { sourceName: 'a\u0000b' }, /^sourceName must not contain NUL/],
      ['a time more than 5 minutes ahead', { happenedAt: new Date(Date.now() + 600_000).toISOString() }, /^happenedAt/],
      ['an invalid ip_address', { context: { ip_address: '999.1.1.1' } }, /^context\.ip_address must be a valid IPv4 or IPv6/],
      ['a context of 17 keys', { context: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }, /^context must have at most 16 keys/],
      ['an eventId that is not a UUID', { eventId: '42' }, /^eventId must be a UUID/],
    ])('refuses %s with 400 naming the field', async (_name, override, pattern) => {
      const res = await post({ ...auditEvent(), ...override });
      expect(res.status).toBe(400);
      const messages = (res.body as { message: string[] }).message;
      expect(messages.some((m) => pattern.test(m))).toBe(true);
    });

    it('refuses an empty array and one of 1001 items', async () => {
      expect((await post([])).status).toBe(400);
      const res = await post(Array.from({ length: 1001 }, () => auditEvent()));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ message: ['body must be one object or an array of 1 to 1000 objects'] });
    });

    it('answers 413 for a body over 1 MiB', async () => {
      const res = await request('POST', `${t.ingestUrl}/v1/audit-events`, {
        key: writer,
        rawBody: JSON.stringify([{ ...auditEvent(), entityName: 'x'.repeat(1024 * 1024) }]),
      });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: expect.any(String) });
    });

    it('answers 415 for a body that is not JSON, and 400 for malformed JSON', async () => {
      const notJson = await request('POST', `${t.ingestUrl}/v1/audit-events`, { key: writer, rawBody: 'a=b', contentType: 'application/x-www-form-urlencoded' });
      expect(notJson.status).toBe(415);
      expect(notJson.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
      const malformed = await request('POST', `${t.ingestUrl}/v1/audit-events`, { key: writer, rawBody: '{"action": ' });
      expect(malformed.status).toBe(400);
      expect(malformed.body).toEqual({ statusCode: 400, error: 'Bad Request', message: ['body is not valid JSON'] });
    });

    it('never puts a stack trace in an error body', async () => {
      const res = await request('POST', `${t.ingestUrl}/v1/audit-events`, { key: writer, rawBody: '[1, {"x":' });
      expect(res.text).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+/);
    });
  });

  describe('keys', () => {
    it('creates a key shown once, hashed in storage, listed without secrets', async () => {
      const res = await request<Record<string, unknown>>('POST', `${t.queryUrl}/v1/api-keys`, {
        key: t.adminKey,
        body: { tenantId: 'globex', name: 'Jane Doe', principalType: 'User', scopes: ['audit:read'] },
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        key: expect.stringMatching(/^rt_[0-9A-Za-z]{32,}$/),
        tenantId: 'globex',
        name: 'Jane Doe',
        principalType: 'User',
        scopes: ['audit:read'],
        createdAt: expect.any(String),
        revokedAt: null,
        lastUsedAt: null,
        expiresAt: null,
        replacedBy: null,
        replaces: null,
      });
      const list = await request<Record<string, unknown>[]>('GET', `${t.queryUrl}/v1/api-keys`, { key: t.adminKey });
      expect(list.text).not.toContain(res.body.key as string);
      expect(list.body.find((k) => k.id === res.body.id)).not.toHaveProperty('key');
    });

    it.each<[string, Record<string, unknown>, RegExp]>([
      ['a tenant id that is not a slug', { tenantId: 'Acme Corp' }, /^tenantId must match/],
      ['a name over 128 characters', { name: 'x'.repeat(129) }, /^name must be 1 to 128 printable/],
      ['a name with a control character', { name: 'a\u0007b' }, /^name must be 1 to 128 printable/],
      ['an unknown scope', { scopes: ['root'] }, /^each scope must be one of/],
      ['no scope', { scopes: [] }, /^scopes must contain at least 1/],
      ['an unknown principal type', { principalType: 'Robot' }, /^principalType must be User or Application/],
    ])('refuses %s with 400', async (_name, override, pattern) => {
      const res = await request<{ message: string[] }>('POST', `${t.queryUrl}/v1/api-keys`, {
        key: t.adminKey,
        body: { tenantId: 'acme', name: 'k', principalType: 'Application', scopes: ['audit:read'], ...override },
      });
      expect(res.status).toBe(400);
      expect(res.body.message.some((m) => pattern.test(m))).toBe(true);
    });

    it('lets a tenant admin create keys only in its own tenant and only with its own scopes', async () => {
      const admin = await t.createKey('acme', ['admin', 'audit:read']);
      const create = (body: Record<string, unknown>) =>
        request('POST', `${t.queryUrl}/v1/api-keys`, { key: admin, body: { name: 'n', principalType: 'User', ...body } });
      expect((await create({ tenantId: 'acme', scopes: ['audit:read'] })).status).toBe(201);
      const other = await create({ tenantId: 'globex', scopes: ['audit:read'] });
      expect(other.status).toBe(403);
      const wider = await create({ tenantId: 'acme', scopes: ['events:write'] });
      expect(wider.status).toBe(403);
      expect(wider.body).toMatchObject({ message: expect.stringContaining('events:write') });
      const listed = await request<{ tenantId: string }[]>('GET', `${t.queryUrl}/v1/api-keys`, { key: admin });
      expect(new Set(listed.body.map((k) => k.tenantId))).toEqual(new Set(['acme']));
    });

    it('needs the admin scope to manage keys', async () => {
      const res = await request('POST', `${t.queryUrl}/v1/api-keys`, {
        key: writer,
        body: { tenantId: 'acme', name: 'n', principalType: 'User', scopes: ['audit:read'] },
      });
      expect(res.status).toBe(403);
      expect((await request('GET', `${t.queryUrl}/v1/api-keys`, { key: writer })).status).toBe(403);
    });

    it("answers 404 for another tenant's key, exactly like a missing one", async () => {
      const admin = await t.createKey('acme', ['admin']);
      const foreign = await request<{ id: string }>('POST', `${t.queryUrl}/v1/api-keys`, {
        key: t.adminKey,
        body: { tenantId: 'globex', name: 'g', principalType: 'User', scopes: ['audit:read'] },
      });
      const a = await request('DELETE', `${t.queryUrl}/v1/api-keys/${foreign.body.id}`, { key: admin });
      const b = await request('DELETE', `${t.queryUrl}/v1/api-keys/${randomUUID()}`, { key: admin });
      expect(a.status).toBe(404);
      expect(b.status).toBe(404);
      expect((a.body as { message: string }).message.replace(foreign.body.id, 'X')).toBe(
        (b.body as { message: string }).message.replace(/[0-9a-f-]{36}/, 'X'),
      );
    });

    it('records key creation and revocation in the key’s tenant timeline; the root key appears as Application "root"', async () => {
      const created = await request<{ id: string; key: string }>('POST', `${t.queryUrl}/v1/api-keys`, {
        key: t.adminKey,
        body: { tenantId: 'acme', name: 'audited key', principalType: 'User', scopes: ['audit:read'] },
      });
      expect((await request('DELETE', `${t.queryUrl}/v1/api-keys/${created.body.id}`, { key: t.adminKey })).status).toBe(204);
      const entries = await eventually(async () => {
        const res = await request<Record<string, unknown>[]>('GET', `${t.queryUrl}/v1/audit?entity_type=ApiKey&entity_id=${created.body.id}`, { key: reader });
        return res.body.length === 2 ? res.body : undefined;
      });
      expect(entries.map((e) => e.action)).toEqual(['Delete', 'Create']);
      for (const e of entries) {
        expect(e).toMatchObject({ tenantId: 'acme', entityType: 'ApiKey', entityName: 'audited key', sourceType: 'Application', sourceName: 'root', sourceId: 'root' });
      }
      expect(JSON.stringify(entries)).not.toContain(created.body.key);
    });

    it('counts audit reads per key in the metrics', async () => {
      await request('GET', `${t.queryUrl}/v1/audit?limit=1`, { key: reader });
      const metrics = await request('GET', `${t.queryUrl}/metrics`);
      expect(metrics.text).toMatch(/runtrail_audit_reads_total\{key_id="[0-9a-f-]{36}",tenant="acme",service="query"\} [1-9]/);
    });

    it('refuses unknown query parameters on the key list', async () => {
      const res = await request('GET', `${t.queryUrl}/v1/api-keys?tenant=globex`, { key: t.adminKey });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ message: ['tenant is not a known query parameter'] });
    });
  });
});
