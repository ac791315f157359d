import { eventSubject } from '@runtrail/contracts';
import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { auditEvent, eventually, projectorCaughtUp, projectorCommand, request, runScenario, startTestStack, type CommandAnswer, type ScenarioResult, type TestStack } from '@runtrail/testing';

/** Every table a rebuild replaces (the signed checkpoints stay). */
const REBUILT = ['audit_events', 'projector_checkpoints', 'dead_letters', 'action_runs', 'action_run_reports', 'commands', 'schedules',
  'integrity_logs', 'integrity_entries', 'integrity_nodes', 'erased_values', 'action_run_stats', 'action_run_deployments',
  'action_run_durations'];

/**
 * Issue 14: the rebuild command replays the stream from sequence 1 into fresh tables and swaps
 * them in while queries and ingest go on, and the dead-letter command re-projects a message
 * once the cause that refused it is gone (docs/reliability.md#rebuild, #dead-letters).
 */
describe('rebuild from the stream, and replay of dead letters', () => {
  let t: TestStack;
  let acme: string;
  let globex: string;

  const run = (command: 'rebuild' | 'dead-letters', ...args: string[]) => projectorCommand(t, command, ...args);
  const ingest = (key: string, body: unknown) => request('POST', `${t.ingestUrl}/v1/audit-events`, { key, body });
  const get = <T>(path: string, key = acme) => request<T>('GET', `${t.queryUrl}${path}`, { key });

  /** Every row of a table in a schema, as JSON text without the projection's clock, sorted. */
  const rowsOf = async (schema: string, table: string) =>
    (await t.query<{ row: string }>(`SELECT (to_jsonb(x) - 'updated_at')::text AS row FROM "${schema}"."${table}" x ORDER BY 1`)).map((r) => r.row);

  /** Queries in a loop while `work` runs: every answer must be a 200. */
  async function whileQuerying<T>(work: () => Promise<T>): Promise<{ result: T; statuses: number[] }> {
    const statuses: number[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        statuses.push((await get('/v1/audit?limit=50')).status, (await get('/v1/integrity/checkpoint')).status);
      }
    })();
    try {
      return { result: await work(), statuses };
    } finally {
      running = false;
      await loop;
    }
  }

  beforeAll(async () => {
    // No rate limit: the queries beside the rebuild run as fast as they can.
    t = await startTestStack('e2erebuild', { CHECKPOINT_INTERVAL_SECONDS: '1', RATE_LIMIT_KEY_PER_SECOND: '0', RATE_LIMIT_TENANT_PER_SECOND: '0' });
    acme = await t.createKey('acme', ['events:write', 'audit:read'], 'acme-ci');
    globex = await t.createKey('globex', ['events:write', 'audit:read'], 'globex-ci');
    for (let i = 0; i < 10; i++) {
      expect((await ingest(i % 2 ? acme : globex, Array.from({ length: 20 }, () => auditEvent({ eventId: randomUUID() })))).status).toBe(202);
    }
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
  });

  it('dead-letters a refused message and a malformed one with their sequences, and replays them at the end of the stream once fixed', async () => {
    // An operator's constraint refuses one event: the message carrying it becomes a dead letter, the rest flow on.
    await t.query(`ALTER TABLE audit_events ADD CONSTRAINT e2e_no_forbidden CHECK (action <> 'Forbidden')`);
    const refused = auditEvent({ eventId: randomUUID(), action: 'Forbidden' });
    const after = auditEvent({ eventId: randomUUID() });
    expect((await ingest(acme, [refused])).status).toBe(202);
    expect((await ingest(acme, [after])).status).toBe(202);
    const nc = await connect({ servers: t.env.NATS_URL as string });
    const js = jetstream(nc);
    const malformedSeq = (await js.publish(eventSubject(t.namespace, 'acme', 'audit'), new TextEncoder().encode('{not json'))).seq;
    await nc.close();
    const dead = await eventually(async () => {
      const rows = await t.query<{ stream_seq: string; reason: string }>(`SELECT stream_seq, reason FROM dead_letters ORDER BY stream_seq`);
      return rows.length === 2 ? rows : undefined;
    }, 30_000, 'two dead letters');
    expect(dead[0]?.reason).toContain('SQLSTATE 23514');
    expect(Number(dead[1]?.stream_seq)).toBe(malformedSeq);
    await eventually(async () => ((await get<{ eventId: string }[]>(`/v1/audit?limit=1000`)).body.some((e) => e.eventId === after.eventId) ? true : undefined));
    expect((await get<unknown[]>('/v1/audit?action=Forbidden')).body).toHaveLength(0);

    // The cause is fixed: the refused one is projected from its copy; the malformed one stays dead.
    await t.query(`ALTER TABLE audit_events DROP CONSTRAINT e2e_no_forbidden`);
    const replay = await run('dead-letters', 'replay');
    expect(replay.code).toBe(1);
    const lines = replay.stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^${dead[0]?.stream_seq} -> \\d+\\tprojected$`)),
      expect.stringMatching(new RegExp(`^${malformedSeq} -> \\d+\\tdead again\\t`)),
    ]);
    const copySeq = Number(/-> (\d+)/.exec(lines[0] as string)?.[1]);
    const found = await get<{ eventId: string }[]>('/v1/audit?action=Forbidden');
    expect(found.body.map((e) => e.eventId)).toEqual([refused.eventId]);
    // Its row and its log entry are at the copy's place in the stream, after everything before it.
    const [entry] = await t.query<{ position: string; idx: string; last: string }>(
      `SELECT position, idx, (SELECT max(idx) FROM integrity_entries WHERE tenant_id = 'acme') AS last FROM integrity_entries WHERE entry_id = $1`,
      [refused.eventId],
    );
    // A position is the stream sequence times 1024 plus the event's index (libs/persistence stream-position.ts).
    expect(Math.floor(Number(entry?.position) / 1024)).toBe(copySeq);
    expect(entry?.idx).toBe(entry?.last);

    // A second replay publishes nothing again.
    expect((await run('dead-letters', 'replay', String(dead[0]?.stream_seq))).stdout).toContain('no dead letter to replay');
    const list = await run('dead-letters', 'list');
    expect(list.stdout).toContain(`${dead[0]?.stream_seq}\t`);
    expect(list.stdout).toContain(`replayed as ${copySeq}`);
  }, 120_000);

  it('rebuilds under load and while queries run: every answer a 200, every acknowledged event stored once', async () => {
    let answer: CommandAnswer | undefined;
    const { result, statuses } = await whileQuerying(() =>
      runScenario({
        name: 'rebuild under load',
        stack: t,
        tenants: 2,
        clients: 2,
        async inject() {
          answer = await run('rebuild');
        },
      }),
    );
    expect(answer).toMatchObject({ code: 0, stderr: '' });
    expect(answer?.stdout).toMatch(/rebuilt the tables from the stream up to sequence \d+ .* signed checkpoint\(s\) reproduced/);
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(result).toMatchObject<Partial<ScenarioResult>>({ lost: 0, duplicated: 0, unexpected: 0 });
    expect(result.ok).toBeGreaterThan(0);
  }, 240_000);

  it('builds tables equal to the incrementally built ones, row for row, with the roots of every signed checkpoint', async () => {
    await projectorCaughtUp(t);
    // Every tenant's log checkpointed at its current size, so the check covers all of it.
    await eventually(async () => {
      const [behind] = await t.query<{ n: string }>(
        `SELECT count(*) AS n FROM integrity_logs l WHERE NOT EXISTS (SELECT 1 FROM integrity_checkpoints c WHERE c.tenant_id = l.tenant_id AND c.size = l.size)`,
      );
      return behind?.n === '0' ? true : undefined;
    }, 30_000, 'checkpoints at every log size');
    const signed = await t.query<{ n: string }>(`SELECT count(*) AS n FROM integrity_checkpoints`);

    const { result: answer, statuses } = await whileQuerying(() => run('rebuild'));
    expect(answer).toMatchObject({ code: 0, stderr: '' });
    expect(answer.stdout).toContain(`${signed[0]?.n} signed checkpoint(s) reproduced`);
    expect(new Set(statuses)).toEqual(new Set([200]));
    const replaced = /schema (replaced_\d+)/.exec(answer.stdout)?.[1] as string;

    for (const table of REBUILT) {
      const [incremental, rebuilt] = await Promise.all([rowsOf(replaced, table), rowsOf('public', table)]);
      expect({ table, rows: rebuilt }).toEqual({ table, rows: incremental });
    }
    expect((await rowsOf('public', 'audit_events')).length).toBeGreaterThan(200);
    // The two of the first case, and the malformed one's copy, dead again.
    expect((await rowsOf('public', 'dead_letters')).length).toBe(3);
    // The service's own verification, now over the rebuilt tables, finds every signed root.
    for (const key of [acme, globex]) {
      expect((await get('/v1/integrity/verify', key)).body).toMatchObject({ ok: true, firstProblem: null });
    }
  }, 180_000);

  it('refuses to swap when the rebuilt log does not have a signed root, and changes nothing', async () => {
    const before = await rowsOf('public', 'integrity_entries');
    const [cp] = await t.query<{ tenant_id: string; size: string; root_hash: Buffer }>(`SELECT tenant_id, size, root_hash FROM integrity_checkpoints ORDER BY size DESC LIMIT 1`);
    await t.query(`UPDATE integrity_checkpoints SET root_hash = $3 WHERE tenant_id = $1 AND size = $2`, [cp?.tenant_id, cp?.size, Buffer.alloc(32)]);
    try {
      const answer = await run('rebuild');
      expect(answer.code).toBe(1);
      expect(answer.stderr).toMatch(new RegExp(`does not reproduce 1 signed checkpoint\\(s\\), first: tenant ${cp?.tenant_id} at size ${cp?.size}.*nothing was swapped`));
      expect(await rowsOf('public', 'integrity_entries')).toEqual(before);
      const kept = /schema (rebuild_\d+)/.exec(answer.stderr)?.[1] as string;
      await t.query(`DROP SCHEMA "${kept}" CASCADE`);
    } finally {
      await t.query(`UPDATE integrity_checkpoints SET root_hash = $3 WHERE tenant_id = $1 AND size = $2`, [cp?.tenant_id, cp?.size, cp?.root_hash]);
    }
  }, 120_000);
});
