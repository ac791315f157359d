import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { auditEvent, eventually, request, startTestStack, writeFakeConsole, type FakeConsole, type TestStack } from '@runtrail/testing';
import { adminCase } from './hostile/admin-cases';
import { Harness } from './hostile/harness';
import { auditKind, ingestCase, rawBodyCase, runKind } from './hostile/ingest-cases';
import { integrityCase } from './hostile/integrity-cases';
import { Ledger } from './hostile/ledger';
import { authCase, socketCases } from './hostile/protocol-cases';
import { listCase, recordCase } from './hostile/query-cases';
import { RawClient } from './hostile/raw-client';
import { scheduleCase } from './hostile/schedule-cases';
import { Markers } from './hostile/template';
import { ALL_SCOPES, untouchedRunIds, type HttpCase, type World } from './hostile/world';

/**
 * Issue 6: a hostile-input suite. fast-check generates malformed and adversarial
 * requests (wrong types, huge and deep values, invalid UTF-8 and NUL, injection
 * strings, unknown and prototype-polluting fields, odd query strings and paths, the
 * victim tenant's ids, revoked, forged and malformed credentials, broken HTTP) and
 * sends them to the running services as an attacker tenant A, while a victim tenant
 * B holds data. Every answer is checked:
 *
 * - never a 5xx, and the status the contract demands where it demands one;
 * - errors are `{statusCode, error, message}` JSON without stack traces, SQL or keys;
 * - no leak: no answer carries bytes of B's data or secrets that the request did not
 *   carry itself (B's marker, which is in every string field of B's records and never
 *   sent by A; B's tenant id; any key or token), no JSON record of B's tenant, no CSV
 *   row naming B (see `problemsOf` in hostile/oracle.ts for the precise rule);
 * - nothing stored from a rejected request: each generated body item carries a
 *   unique marker, and at the end no marker of a non-2xx request is anywhere in
 *   Postgres, while every marker of an accepted one is (nothing lost);
 * - B's records, keys, runners and schedule are exactly as they were.
 *
 * The seed is random per run and printed; rerun a failure with HOSTILE_SEED=<seed>.
 * fast-check's failure report also names the counterexample and its path.
 */

const SEED = process.env.HOSTILE_SEED ? Number(process.env.HOSTILE_SEED) : randomInt(2 ** 31 - 1);
const MIN_REQUESTS = 5_000;
const PROPERTY_TIMEOUT = 120_000;

function letters(n: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'): string {
  return [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');
}

function cursorOf(link: string | null): string | undefined {
  const m = link ? /[?&]cursor=([^&>]+)/.exec(link) : null;
  return m ? decodeURIComponent(m[1]) : undefined;
}

describe('hostile input: generated malformed and adversarial requests against the running services', () => {
  let t: TestStack;
  let fakeConsole: FakeConsole | undefined;
  let world: World;
  let harness: Harness;
  let clients: { ingest: RawClient; query: RawClient };
  const ledger = new Ledger();
  const markers = new Markers(letters(6, 'abcdefghijklmnopqrstuvwxyz'));
  const started = Date.now();
  let victimBefore: string;

  const admin = <T>(method: string, path: string, key: string, body?: unknown) => request<T>(method, `${t.queryUrl}${path}`, { key, body });
  const ingest = <T>(path: string, key: string, body: unknown) => request<T>('POST', `${t.ingestUrl}${path}`, { key, body });

  async function createKey(key: string, tenantId: string, name: string, scopes: string[]) {
    const res = await admin<{ id: string; key: string }>('POST', '/v1/api-keys', key, { tenantId, name, principalType: 'Application', scopes });
    if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${res.text}`);
    return res.body;
  }

  /** B's records, keys, runners and schedule, as the superuser and the root key see them. */
  async function victimState(): Promise<string> {
    const tenant = world.victim.tenant;
    const rows = async (table: string, order: string) => JSON.stringify(await t.query(`SELECT * FROM ${table} WHERE tenant_id = $1 ORDER BY ${order}`, [tenant]));
    const keys = await admin<{ id: string; tenantId: string; name: string; scopes: string[]; revokedAt?: string | null; expiresAt?: string | null }[]>('GET', '/v1/api-keys?limit=1000', t.adminKey);
    const runners = await admin<{ id: string; name: string; workspaces: string[] }[]>('GET', '/v1/runners?limit=1000', t.adminKey);
    // The schedule's authoritative state (paused, deleted, fired) and its projected row.
    const schedule = await admin('GET', `/v1/schedules/${world.victim.scheduleId}`, t.adminKey);
    return JSON.stringify({
      audit: await rows('audit_events', 'id'),
      runs: await rows('action_runs', 'id'),
      reports: await rows('action_run_reports', 'position'),
      commands: await rows('commands', 'id'),
      keys: keys.body.filter((k) => k.tenantId === tenant).map(({ id, name, scopes, revokedAt, expiresAt }) => ({ id, name, scopes, revokedAt, expiresAt })),
      runners: runners.body.filter((r) => r.id === world.victim.runnerId).map(({ id, name, workspaces }) => ({ id, name, workspaces })),
      schedule: { status: schedule.status, body: schedule.body },
      schedules: await rows('schedules', 'id'),
      // The victim's integrity log: its entries, and no value of it erased.
      log: await rows('integrity_entries', 'idx'),
      erased: await rows('erased_values', 'position, path'),
    });
  }

  beforeAll(async () => {
    // Twisted paths reach console pages (`/v1/runners` without `/v1`): a console is there,
    // built or not. Rate limits far above what the suite sends: it exercises validation, not the limiter.
    fakeConsole = writeFakeConsole();
    t = await startTestStack('e2ehostile', {
      CONSOLE_DIR: fakeConsole.dir,
      RATE_LIMIT_KEY_PER_SECOND: '1000000',
      RATE_LIMIT_KEY_BURST: '1000000',
      RATE_LIMIT_TENANT_PER_SECOND: '1000000',
      RATE_LIMIT_TENANT_BURST: '1000000',
      // The attacker's log is checkpointed soon after its first entries, so its proofs answer 200.
      CHECKPOINT_INTERVAL_SECONDS: '1',
    });
    const hex = randomBytes(4).toString('hex');
    const victimTenant = `victim-${hex}`;
    const attackerTenant = `attacker-${hex}`;
    // Letters only, so it also fits action names, entity types, workspace and block names.
    const M = `VICTIM${letters(16)}`;
    // Carried by both tenants: a filter on them must answer each its own records only.
    const sharedCorrelationId = `pipeline-${hex}`;
    const sharedChangedField = `shared_field_${hex}`;

    // ---- the victim B: data with its marker in every string field
    const victim = await createKey(t.adminKey, victimTenant, `${M}-key`, ALL_SCOPES);
    const runnerRes = await admin<{ id: string; token: string }>('POST', '/v1/runners', victim.key, { name: `${M}-runner`, workspaces: [M] });
    expect(runnerRes.status).toBe(201);
    const victimEvents = Array.from({ length: 12 }, (_, i) =>
      auditEvent({
        action: M,
        version: M.slice(0, 32),
        entityType: M,
        entityId: `${M}-entity-${i}`,
        entityName: `${M} entity name`,
        sourceType: i % 2 ? 'User' : 'Application',
        sourceId: `${M}-source`,
        sourceName: `${M}@victim.example`,
        success: i % 3 !== 0,
        context: { user_agent: `${M}-agent`, ip_address: '10.1.2.3', [M]: M },
        changes: { [sharedChangedField]: { before: `${M}-before`, after: { [M]: [M, null, 3] } }, [M]: { after: M } },
        correlationId: i % 2 ? sharedCorrelationId : `${M}-correlation`,
      }),
    );
    expect((await ingest('/v1/audit-events', victim.key, victimEvents)).status).toBe(202);
    const victimRuns = ['running', 'successful', 'failed', 'aborted', 'successful', 'failed'].map((status, i) => ({
      id: randomUUID(),
      workspace: { name: M, organization: `${M} org` },
      block: { name: M, from: `registry.example/${M}:1.${i}` },
      action: M,
      status,
      startedAt: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
      ...(status === 'running' ? {} : { finishedAt: new Date(Date.UTC(2024, 0, 1 + i, 1)).toISOString() }),
      ...(status === 'successful' ? { exitCode: 0 } : status === 'failed' ? { exitCode: 3 } : {}),
      cliVersion: `${M}-cli`,
      hostname: `${M}-host`,
      osUser: `${M}-user`,
      correlationId: i % 2 ? sharedCorrelationId : `${M}-correlation`,
    }));
    expect((await ingest('/v1/action-runs', victim.key, victimRuns)).status).toBe(202);
    await eventually(async () => ((await t.query('SELECT 1 FROM action_runs WHERE tenant_id = $1', [victimTenant])).length === victimRuns.length ? true : undefined), 30_000, "the victim's runs");
    const retrigger = await admin<{ commandId: string }>('POST', `/v1/action-runs/${victimRuns[2].id}/retrigger`, victim.key, { reason: `${M} reason` });
    expect(retrigger.status).toBe(202);
    // Feb 29 at 04:00: it never fires while the suite runs, so it must stay exactly as created.
    const schedule = await admin<{ id: string }>('POST', '/v1/schedules', victim.key, {
      runId: victimRuns[2].id,
      cron: '0 4 29 2 *',
      timezone: 'Europe/Berlin',
      reason: `${M} leap-day drill`,
      runnerId: runnerRes.body.id,
      correlationId: `${M}-schedule`,
    });
    expect(schedule.status).toBe(201);
    // Its timeline entry follows its fact in the tenant's stream: once that is projected, both are.
    await eventually(
      async () => ((await t.query("SELECT 1 FROM audit_events WHERE tenant_id = $1 AND entity_type = 'Schedule'", [victimTenant])).length ? true : undefined),
      30_000,
      "the victim's schedule",
    );
    const victimCursors: string[] = [];
    for (const path of ['/v1/audit?limit=1', '/v1/action-runs?limit=1', `/v1/audit?limit=2&action=${M}`]) {
      const c = cursorOf((await admin('GET', path, victim.key)).headers.get('link'));
      if (c) victimCursors.push(c);
    }

    // ---- the attacker A: full key, read-only key, revoked key, a runner, some data
    const attacker = await createKey(t.adminKey, attackerTenant, 'attacker', ALL_SCOPES);
    const readKey = (await createKey(t.adminKey, attackerTenant, 'attacker-read', ['audit:read'])).key;
    const revoked = await createKey(t.adminKey, attackerTenant, 'attacker-revoked', ALL_SCOPES);
    expect((await admin('DELETE', `/v1/api-keys/${revoked.id}`, t.adminKey)).status).toBe(204);
    await eventually(async () => ((await request('GET', `${t.queryUrl}/v1/audit`, { key: revoked.key })).status === 401 ? true : undefined), 10_000, 'revocation at query');
    await eventually(async () => ((await ingest('/v1/audit-events', revoked.key, auditEvent())).status === 401 ? true : undefined), 10_000, 'revocation at ingest');
    const aRunner = await admin<{ id: string; token: string }>('POST', '/v1/runners', attacker.key, { name: 'attacker-runner', workspaces: ['*'] });
    expect(aRunner.status).toBe(201);
    const attackerRuns = Array.from({ length: 4 }, (_, i) => ({
      id: randomUUID(),
      workspace: { name: 'acme-prod' },
      block: { name: 'nginx', from: 'registry.example/nginx:0.3.1' },
      action: 'deploy',
      status: 'successful',
      startedAt: new Date(Date.UTC(2024, 1, 1 + i)).toISOString(),
      finishedAt: new Date(Date.UTC(2024, 1, 1 + i, 1)).toISOString(),
      exitCode: 0,
      correlationId: sharedCorrelationId,
    }));
    expect((await ingest('/v1/action-runs', attacker.key, attackerRuns)).status).toBe(202);
    const attackerEvents = Array.from({ length: 3 }, () => auditEvent({ correlationId: sharedCorrelationId, changes: { [sharedChangedField]: { after: 1 } } }));
    expect((await ingest('/v1/audit-events', attacker.key, attackerEvents)).status).toBe(202);
    await eventually(async () => ((await t.query('SELECT 1 FROM action_runs WHERE tenant_id = $1', [attackerTenant])).length === attackerRuns.length ? true : undefined), 30_000, "the attacker's runs");
    const aCommand = await admin<{ commandId: string }>('POST', `/v1/action-runs/${attackerRuns[0].id}/retrigger`, attacker.key, {});
    expect(aCommand.status).toBe(202);
    await eventually(async () => ((await t.query('SELECT 1 FROM commands WHERE tenant_id = ANY($1)', [[victimTenant, attackerTenant]])).length === 2 ? true : undefined), 30_000, 'both commands');
    // Each tenant's log as its own key lists it; once a signed checkpoint covers all the
    // attacker's entries (its runs' reports at least), their inclusion proofs answer 200.
    const logOf = async (key: string) => (await admin<{ entryId: string }[]>('GET', '/v1/integrity/entries?limit=1000', key)).body.map((e) => e.entryId);
    const attackerEntries = await eventually(
      async () => {
        const ids = await logOf(attacker.key);
        const proofs = await Promise.all(ids.map((id) => admin('GET', `/v1/integrity/proof?entry_id=${id}`, attacker.key)));
        return ids.length >= attackerRuns.length && proofs.every((p) => p.status === 200) ? ids : undefined;
      },
      30_000,
      "a checkpoint of the attacker's entries",
    );
    const victimEntries = await logOf(victim.key);
    expect(victimEntries.length).toBeGreaterThanOrEqual(victimEvents.length + victimRuns.length);

    const attackerCursors: { path: string; cursor: string }[] = [];
    for (const path of ['/v1/audit', '/v1/k8s/audit', '/v1/action-runs', '/v1/deployments', '/v1/api-keys', '/v1/audit?action=Update']) {
      const c = cursorOf((await admin('GET', `${path}${path.includes('?') ? '&' : '?'}limit=1`, attacker.key)).headers.get('link'));
      if (c) attackerCursors.push({ path, cursor: c });
    }
    expect(attackerCursors.length).toBeGreaterThan(0);
    expect(victimCursors.length).toBeGreaterThan(0);

    world = {
      rootKey: t.adminKey,
      victim: {
        tenant: victimTenant,
        marker: M,
        key: victim.key,
        keyId: victim.id,
        runnerId: runnerRes.body.id,
        runnerToken: runnerRes.body.token,
        eventIds: victimEvents.map((e) => e.eventId as string),
        runIds: victimRuns.map((r) => r.id),
        entryIds: victimEntries,
        reusableRunIds: victimRuns.slice(0, 2).map((r) => r.id),
        commandIds: [retrigger.body.commandId],
        scheduleId: schedule.body.id,
        cursors: victimCursors,
        sharedCorrelationId,
        sharedChangedField,
      },
      attacker: {
        tenant: attackerTenant,
        key: attacker.key,
        keyId: attacker.id,
        readKey,
        revokedKey: revoked.key,
        runnerId: aRunner.body.id,
        runnerToken: aRunner.body.token,
        runIds: attackerRuns.map((r) => r.id),
        entryIds: attackerEntries,
        commandIds: [aCommand.body.commandId],
        cursors: attackerCursors,
        throwawayKeyIds: [],
        throwawayRunnerIds: [],
        throwawayScheduleIds: [],
      },
    };
    clients = { ingest: new RawClient(t.ingestUrl), query: new RawClient(t.queryUrl) };
    harness = new Harness(world, clients, markers, ledger);
    victimBefore = await victimState();
    console.log(`hostile-input suite: seed ${SEED} (rerun with HOSTILE_SEED=${SEED}), marker tag ${markers.tag}`);
  }, 120_000);

  afterAll(async () => {
    console.log(ledger.summary(SEED, Date.now() - started));
    clients?.ingest.close();
    clients?.query.close();
    await t?.stop();
    fakeConsole?.remove();
  });

  /** Runs `numRuns` generated groups of `size` requests, sent concurrently. */
  async function property(name: string, arb: (w: World) => fc.Arbitrary<HttpCase>, numRuns: number, size: number, offset: number): Promise<void> {
    await fc.assert(
      fc.asyncProperty(fc.array(arb(world), { minLength: size, maxLength: size }), async (cases) => {
        await Promise.all(cases.map((c) => harness.run(name, c)));
      }),
      { numRuns, seed: (SEED + offset) | 0, endOnFailure: true },
    );
  }

  it(
    'ingest, audit events: one field at a time made wrong, huge, deep, NUL, unknown or hostile',
    () => property('audit events', (w) => ingestCase(w, auditKind(w)), 375, 3, 1),
    PROPERTY_TIMEOUT,
  );

  it(
    'ingest, action runs: the same for run reports, names that could reach a shell included',
    () => property('action runs', (w) => ingestCase(w, runKind(w)), 325, 3, 2),
    PROPERTY_TIMEOUT,
  );

  it(
    'ingest, raw bodies: invalid UTF-8, truncated JSON, wrong content types, over 1 MiB, duplicate members',
    () => property('raw bodies', (w) => fc.oneof(rawBodyCase(w, auditKind(w)), rawBodyCase(w, runKind(w))), 250, 2, 3),
    PROPERTY_TIMEOUT,
  );

  it(
    'query, lists: unknown, repeated, array and object parameters, garbage encodings, forged cursors, twisted paths',
    () => property('list queries', listCase, 400, 3, 4),
    PROPERTY_TIMEOUT,
  );

  it(
    "query, single records: the victim's ids answer 404 like unknown ones; malformed ids 4xx",
    () => property('record queries', recordCase, 200, 3, 5),
    PROPERTY_TIMEOUT,
  );

  it(
    "admin: keys, runners, re-triggers and the runner's own endpoints with hostile bodies and the victim's ids",
    () => property('admin', adminCase, 250, 2, 6),
    PROPERTY_TIMEOUT,
  );

  it(
    "schedules: creation with hostile bodies and the victim's run and runner; the victim's schedule read, paused, resumed and deleted; the list filtered on the victim's run",
    () => property('schedules', scheduleCase, 150, 2, 9),
    PROPERTY_TIMEOUT,
  );

  it(
    "integrity: the log's routes with hostile query strings, the victim's tenant and entries; erasure with hostile bodies and the victim's tenant; every refusal names what is wrong",
    () => property('integrity', integrityCase, 250, 2, 10),
    PROPERTY_TIMEOUT,
  );

  it(
    'auth: revoked, forged, near-miss, malformed and missing credentials are refused on every route',
    () => property('auth', authCase, 150, 3, 7),
    PROPERTY_TIMEOUT,
  );

  it(
    'protocol: malformed HTTP on raw sockets',
    async () => {
      // Every case once (as fast-check examples, counted in numRuns), then as many drawn at random.
      const cases = socketCases(world);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...cases), (c) => harness.runSocket('raw sockets', c)),
        { numRuns: 2 * cases.length, examples: cases.map((c) => [c]), seed: (SEED + 8) | 0, endOnFailure: true },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it('stores nothing from a rejected request and loses nothing of an accepted one', async () => {
    // The projector works in stream order: once a later event is in Postgres, all earlier ones are.
    const sentinel = auditEvent({ entityName: `sentinel-${markers.tag}` });
    expect((await ingest('/v1/audit-events', world.attacker.key, sentinel)).status).toBe(202);
    await eventually(
      async () => ((await t.query('SELECT 1 FROM audit_events WHERE tenant_id = $1 AND event_id = $2', [world.attacker.tenant, sentinel.eventId])).length ? true : undefined),
      60_000,
      'the projector to reach the sentinel',
    );
    const pattern = `HX${markers.tag}\\d{8}Z`;
    const found = await t.query<{ m: string }>(
      `SELECT DISTINCT (regexp_matches(x, $1, 'g'))[1] AS m FROM (
         SELECT a::text AS x FROM audit_events a
         UNION ALL SELECT r::text FROM action_runs r
         UNION ALL SELECT p::text FROM action_run_reports p
         UNION ALL SELECT c::text FROM commands c
         UNION ALL SELECT s::text FROM schedules s
         UNION ALL SELECT encode(d.payload, 'escape') FROM dead_letters d) texts`,
      [`(${pattern})`],
    );
    const stored = new Set(found.map((r) => r.m));
    const deadLetters = await t.query<{ n: string }>('SELECT count(*) AS n FROM dead_letters');
    expect(Number(deadLetters[0].n)).toBe(0);

    const storedFromRejected = ledger.rejected.filter((i) => stored.has(i.marker)).map((i) => i.marker);
    expect(storedFromRejected).toEqual([]);

    // Audit events sharing an eventId are stored once: of such a group, one must be there.
    const groups = new Map<string, string[]>();
    const mustBeStored: string[] = [];
    for (const item of ledger.accepted) {
      if (!item.sink) continue;
      if (item.sink === 'audit' && item.dedupeKey) groups.set(item.dedupeKey, [...(groups.get(item.dedupeKey) ?? []), item.marker]);
      else mustBeStored.push(item.marker);
    }
    const lost = mustBeStored.filter((m) => !stored.has(m));
    for (const [key, group] of groups) {
      if (group.length === 1 && !stored.has(group[0])) lost.push(group[0]);
      if (group.length > 1 && !group.some((m) => stored.has(m))) lost.push(`${key}: ${group.join(', ')}`);
    }
    expect(lost).toEqual([]);
    expect(ledger.accepted.length).toBeGreaterThan(100);
    expect(ledger.rejected.length).toBeGreaterThan(1000);
  }, 90_000);

  it("leaves the victim's records, keys, runners and schedule exactly as they were, and its key working", async () => {
    expect(await victimState()).toBe(victimBefore);
    const schedule = await admin<{ paused: boolean; runId: string }>('GET', `/v1/schedules/${world.victim.scheduleId}`, world.victim.key);
    expect(schedule.status).toBe(200);
    expect(schedule.body).toMatchObject({ paused: false, runId: untouchedRunIds(world.victim)[0] });
    expect((await admin('GET', '/v1/audit?limit=1', world.victim.key)).status).toBe(200);
    const cmds = await admin<{ id: string }[]>('GET', `/v1/commands?runner_id=${world.victim.runnerId}&limit=1000`, t.adminKey);
    expect(cmds.body.map((c) => c.id)).toEqual(world.victim.commandIds);
  });

  it(`sent at least ${MIN_REQUESTS} generated requests, none answered 5xx`, () => {
    const fiveHundreds = [...ledger.byStatus.entries()].filter(([s]) => /^5\d\d$/.test(s));
    expect(fiveHundreds).toEqual([]);
    expect(ledger.failures).toEqual([]);
    expect(ledger.total).toBeGreaterThanOrEqual(MIN_REQUESTS);
  });
});
