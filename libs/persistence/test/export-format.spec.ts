import { ACTION_RUN_RECORD_FIELDS, AUDIT_RECORD_FIELDS, type ActionRunRecord, type AuditRecord } from '@runtrail/contracts';
import { databaseUrl, dropDatabase, mulberry32, uniqueName } from '@runtrail/testing';
import type { DataSource } from 'typeorm';
import {
  ACTION_RUN_RECORD_LAYOUT,
  AUDIT_RECORD_LAYOUT,
  TenantReader,
  actAsProjector,
  actionRunExportChunk,
  actionRunExportChunkEnds,
  actionRunPage,
  auditEventExportChunk,
  auditEventExportChunkEnds,
  auditEventPage,
  auditEventsTable,
  openDatabase,
  upsertActionRuns,
  upsertAuditEvents,
  type ActionRunRow,
  type AuditEventRow,
  type AuditFilter,
  type ExportFormat,
  type ExportChunk,
  type KeysetPosition,
  type RecordLayout,
  type RunFilter,
  type ValuesQuery,
} from '../src';
import { referenceDownload } from './reference-download';

/**
 * Downloads are formatted by Postgres (record-layout.ts); these files must be the bytes
 * the API wrote before, when each record was decoded in Node and written with
 * JSON.stringify / csv-stringify (reference-download.ts). The rows are built to hit every
 * rule: nulls, empty strings, quotes, commas, every kind of line break, control
 * characters, backslashes, non-BMP unicode, JSON with numbers JavaScript rewrites and
 * keys it reorders, times at the ends of the calendar, and ties on the sort time.
 */


const PIECES = [
  'a', 'Z', '0', ' ', '"', '""', ',', ';', '\r', '\n', '\r\n', '\t', '\v', '\f', '\u001c', '\u001d', '\u001e', '\u0085', '\u2028',
  '\u2029', '\\', '\\"', '\u0001', '\u001f', '\u007f', 'é', '€', '😀', '中文', 'שלום', "'", '=1+2', '-', '@', '{"a": 1}', '[1, 2]', 'null',
];

/** What a row without anything to escape or quote is made of (most real rows): the fast path of the formatting. */
const PLAIN_PIECES = ['a', 'Z', '0', ' ', 'é', '€', '😀', '中文', '-', '@', "'", ';', '.'];

const rnd = mulberry32(20261130);
let plainRow = false;
const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
const text = (max = 6): string => Array.from({ length: Math.floor(rnd() * max) }, () => pick(plainRow ? PLAIN_PIECES : PIECES)).join('');
const maybe = <T>(value: T): T | null => (rnd() < 0.25 ? null : value);

/** JSON values JavaScript writes differently from jsonb: `1.50`, `1e2`, huge and tiny numbers, nesting. */
const JSON_VALUES: unknown[] = [
  0, -0, 1, 1.5, 0.1, -42, 2 ** 64, 1e-7, 1e21, true, false, null, '', 'x"y', 'line\nbreak', '😀',
  [], {}, [1, 'two', null, { three: 3 }], { nested: { deeper: [1.25, 'é'] } },
];
/** Texts of jsonb numbers that a round trip through JavaScript changes. */
const NUMBER_TEXTS = ['1.0', '1.50', '1e2', '-0.0', '100000000000000000000000', '0.000001000'];
/** Keys JavaScript puts first (array indices, in numeric order) and ones it does not. */
const CONTEXT_KEYS = ['user_agent', 'ip_address', 'a', 'b.c', 'x-y', '0', '2', '10', '01', '4294967294', '4294967295', '99999999999'];

function changes(): string | null {
  if (rnd() < 0.3) return null;
  const fields = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, i) => {
    const side = () => (rnd() < 0.5 ? pick(NUMBER_TEXTS) : JSON.stringify(pick(JSON_VALUES)));
    const parts = [rnd() < 0.8 ? `"before": ${side()}` : '', rnd() < 0.8 ? `"after": ${side()}` : ''].filter(Boolean);
    return `${JSON.stringify(`${pick(['name', 'size', '10', 'é'])}${i}`)}: {${parts.join(', ')}}`;
  });
  return `{${fields.join(', ')}}`;
}

function context(): Record<string, string> {
  const keys = Array.from({ length: Math.floor(rnd() * 5) }, () => pick(CONTEXT_KEYS));
  return Object.fromEntries(keys.map((k) => [k, text()]));
}

/** Times to the millisecond, some at the ends of the calendar, some shared (ties broken by id). */
const TIMES = ['0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '2022-07-07T09:45:32.069Z', '2026-02-28T23:59:59.100Z', '1970-01-01T00:00:00.000Z'];
const time = (): string => (rnd() < 0.4 ? pick(TIMES) : new Date(Date.UTC(2000, 0, 1) + Math.floor(rnd() * 9e11)).toISOString());

const TENANTS = ['acme', 'globex'];

/**
 * Values whose jsonb text JavaScript writes alike (without the spaces), so Postgres writes
 * them; strings among them hold what the compaction must leave alone (`, `, `: `, `: null`,
 * escaped quotes and backslashes).
 */
const SAFE_JSON_VALUES: unknown[] = [
  0, 1, -42, 1.5, 0.1, 123456789012345, true, false, null, '', 'x"y', 'a, b', 'k: v', 'k: null', '"q": 1', '\\", "', 'line\nbreak',
  '\u0001', '😀', 'é', [], {}, [1, null, 'x, y'], { nested: { deeper: [1.25, null, 'é: x'], none: null } },
];
/** Tenant `hooli`: Updates whose `changes` and `context` Postgres writes itself (the common record). */
const SAFE_ROWS = 120;

function safeAuditRow(i: number): AuditEventRow {
  const row = auditRow(AUDIT_ROWS + i);
  const sides = Object.fromEntries(['before', 'after'].filter(() => rnd() < 0.8).map((side) => [side, pick(SAFE_JSON_VALUES)]));
  const changes = rnd() < 0.9 ? { [pick(['name', 'owner', 'a.b', 'x-y'])]: sides } : null;
  return { ...row, tenantId: 'hooli', context: { user_agent: text(), ip_address: '10.0.0.1' }, changes: (changes && JSON.stringify(changes)) as never };
}

function auditRow(i: number): AuditEventRow {
  plainRow = rnd() < 0.4;
  return {
    id: String(1024 * (i + 1)),
    tenantId: TENANTS[i % 2],
    eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    happenedAt: time(),
    action: pick(['Create', 'Update', 'Delete', 'Login']),
    version: pick(['1.0', '', text()]),
    entityType: pick(['Project', 'User']),
    entityId: maybe(text()),
    entityName: maybe(text(10)),
    sourceType: pick(['User', 'Application'] as const),
    sourceId: maybe(pick(['', text()])),
    sourceName: text(8),
    success: rnd() < 0.7,
    context: context(),
    receivedAt: time(),
    // Bound as jsonb text, so the numbers keep the form they were sent in.
    changes: changes() as never,
    correlationId: maybe(text()),
    submittedBy: { type: 'Application', id: 'k', name: 'key' },
    streamSeq: i + 1,
  };
}

function runRow(i: number): ActionRunRow {
  plainRow = rnd() < 0.4;
  const finished = rnd() < 0.8;
  return {
    tenantId: TENANTS[i % 2],
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    workspaceName: text(4),
    workspaceOrganization: maybe(text()),
    blockName: pick(['nginx', plainRow ? 'db-maint' : 'db,"maint"', text()]),
    blockFrom: maybe(text()),
    blockFromBase: null,
    blockVersion: maybe(text(3)),
    action: pick(['deploy', plainRow ? 'a b' : 'a\r\nb', text()]),
    status: pick(['running', 'successful', 'failed', 'aborted'] as const),
    startedAt: time(),
    finishedAt: finished ? time() : null,
    durationMs: finished ? pick([0, 1, 1234, 2 ** 53 - 1]) : null,
    exitCode: finished ? pick([0, 1, -1, 2147483647, -2147483648]) : null,
    cliVersion: maybe(text()),
    hostname: maybe(text()),
    osUser: maybe(text()),
    sourceType: pick(['User', 'Application'] as const),
    sourceId: maybe(text()),
    sourceName: text(),
    retriggeredFrom: maybe('6f9619ff-8b86-d011-b42d-00c04fc964ff'),
    commandId: maybe('0e3c0f5e-6a3b-4b8e-9a55-2c4f1f7d9a11'),
    receivedAt: time(),
    updatedAt: time(),
    correlationId: maybe(text()),
    firstPosition: String(i + 1),
  };
}

const AUDIT_ROWS = 400;
const RUN_ROWS = 400;
/** Small chunks, so a file crosses many keyset boundaries (also between rows of one time). */
const CHUNK = 7;

describe('downloads formatted by Postgres (real Postgres)', () => {
  const database = uniqueName('export');
  let ds: DataSource;
  let reader: TenantReader;

  beforeAll(async () => {
    ds = await openDatabase({ url: databaseUrl(database), applicationName: 'export-test', poolSize: 2 });
    reader = new TenantReader(ds);
    await ds.transaction(async (em) => {
      await actAsProjector(em);
      const audit = [...Array.from({ length: AUDIT_ROWS }, (_, i) => auditRow(i)), ...Array.from({ length: SAFE_ROWS }, (_, i) => safeAuditRow(i))];
      // `changes` goes in as the JSON text above (jsonb keeps `1.50`), not re-serialised.
      const params = upsertAuditEvents.params(audit);
      params[auditEventsTable.fields.indexOf('changes')] = audit.map((r) => r.changes);
      await em.query(upsertAuditEvents.text, params);
      const runs = Array.from({ length: RUN_ROWS }, (_, i) => runRow(i));
      await em.query(upsertActionRuns.text, upsertActionRuns.params(runs));
    });
  });

  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(database);
  });

  /** A whole file the new way: keyset chunks of lines, framed by the layout. */
  async function exported(
    tenantId: string | null,
    layout: RecordLayout,
    format: ExportFormat,
    chunk: (after?: KeysetPosition) => ValuesQuery<ExportChunk>,
  ): Promise<string> {
    const { head, first, between, tail } = layout.framing(format);
    const texts: string[] = [];
    let after: KeysetPosition | undefined;
    for (;;) {
      const got = await reader.readValues(tenantId, chunk(after));
      if (got.records) texts.push(got.text);
      if (got.records < CHUNK) break;
      after = got.last;
    }
    return head + (texts.length ? first + texts.join(between) : '') + tail;
  }

  const everyAudit = (tenantId: string | null, f: AuditFilter = {}) =>
    reader.read<AuditRecord>(tenantId, auditEventPage(tenantId, f, { limit: 10_000, offset: 0 }));
  const everyRun = (tenantId: string | null, f: RunFilter = {}) =>
    reader.read<ActionRunRecord>(tenantId, actionRunPage(tenantId, f, { limit: 10_000, offset: 0 }));

  it('writes the fields of the records, in the order of the API', () => {
    expect(AUDIT_RECORD_LAYOUT.names).toEqual([...AUDIT_RECORD_FIELDS]);
    expect(ACTION_RUN_RECORD_LAYOUT.names).toEqual([...ACTION_RUN_RECORD_FIELDS]);
  });

  describe.each(['json', 'csv'] as const)('%s', (format) => {
    it.each([['acme'], ['globex'], [null]])('writes the timeline of %s exactly as before', async (tenantId) => {
      const records = await everyAudit(tenantId);
      expect(records.length).toBeGreaterThan(tenantId === null ? AUDIT_ROWS - 1 : AUDIT_ROWS / 2 - 1);
      const file = await exported(tenantId, AUDIT_RECORD_LAYOUT, format, (after) => auditEventExportChunk(tenantId, {}, format, CHUNK, after));
      expect(file).toBe(referenceDownload(records, format, AUDIT_RECORD_FIELDS));
    });

    it.each([['acme'], [null]])('writes the runs of %s exactly as before', async (tenantId) => {
      const records = await everyRun(tenantId);
      const file = await exported(tenantId, ACTION_RUN_RECORD_LAYOUT, format, (after) => actionRunExportChunk(tenantId, {}, format, CHUNK, after));
      expect(file).toBe(referenceDownload(records, format, ACTION_RUN_RECORD_FIELDS));
    });

    it('writes a filtered set, and an empty one, exactly as before', async () => {
      const f: AuditFilter = { action: 'Update', success: true };
      const file = await exported('acme', AUDIT_RECORD_LAYOUT, format, (after) => auditEventExportChunk('acme', f, format, CHUNK, after));
      expect(file).toBe(referenceDownload(await everyAudit('acme', f), format, AUDIT_RECORD_FIELDS));
      const none: RunFilter = { workspace: 'no such workspace' };
      const empty = await exported('acme', ACTION_RUN_RECORD_LAYOUT, format, (after) => actionRunExportChunk('acme', none, format, CHUNK, after));
      expect(empty).toBe(referenceDownload([], format, ACTION_RUN_RECORD_FIELDS));
    });
  });

  it.each(['json', 'csv'] as const)('writes common records in Postgres alone, a chunk as one text (%s)', async (format) => {
    const file = await exported('hooli', AUDIT_RECORD_LAYOUT, format, (after) => auditEventExportChunk('hooli', {}, format, CHUNK, after));
    expect(file).toBe(referenceDownload(await everyAudit('hooli'), format, AUDIT_RECORD_FIELDS));
    // One row per chunk: no record of it came in pieces for JavaScript to write.
    const rowsOf = (tenantId: string, q: ValuesQuery<ExportChunk>) => reader.readValues(tenantId, { ...q, decodeRows: (rows) => rows.length });
    expect(await rowsOf('hooli', auditEventExportChunk('hooli', {}, format, SAFE_ROWS))).toBe(1);
    // Records that need JavaScript come alone, between the texts of the others.
    expect(await rowsOf('acme', auditEventExportChunk('acme', {}, format, AUDIT_ROWS))).toBeGreaterThan(20);
  });

  describe('the ends of the chunks, found by walking the keys alone', () => {
    /** The last positions of the full chunks, read one after the other. */
    async function lastsOf(tenantId: string | null, chunk: (after?: KeysetPosition) => ValuesQuery<ExportChunk>): Promise<KeysetPosition[]> {
      const lasts: KeysetPosition[] = [];
      for (let after: KeysetPosition | undefined; ; ) {
        const got = await reader.readValues(tenantId, chunk(after));
        if (got.records < CHUNK) return lasts;
        lasts.push(got.last as KeysetPosition);
        after = got.last;
      }
    }

    it.each([['acme'], [null]])('are where the chunks read one after the other end: timeline of %s, whole and filtered', async (tenantId) => {
      for (const f of [{}, { action: 'Update' }] satisfies AuditFilter[]) {
        const lasts = await lastsOf(tenantId, (after) => auditEventExportChunk(tenantId, f, 'csv', CHUNK, after));
        expect(lasts.length).toBeGreaterThan(3);
        expect(await reader.readValues(tenantId, auditEventExportChunkEnds(tenantId, f, CHUNK, 1000))).toEqual(lasts);
        expect(await reader.readValues(tenantId, auditEventExportChunkEnds(tenantId, f, CHUNK, 2, lasts[0]))).toEqual(lasts.slice(1, 3));
      }
    });

    it('are where the chunks of runs end', async () => {
      const lasts = await lastsOf('acme', (after) => actionRunExportChunk('acme', {}, 'json', CHUNK, after));
      expect(lasts.length).toBeGreaterThan(3);
      expect(await reader.readValues('acme', actionRunExportChunkEnds('acme', {}, CHUNK, 1000))).toEqual(lasts);
      expect(await reader.readValues('acme', actionRunExportChunkEnds('acme', {}, CHUNK, 3, lasts[1]))).toEqual(lasts.slice(2, 5));
    });
  });

  it("never reads another tenant's rows, even for a statement that forgets its tenant condition", async () => {
    const acme = await reader.readValues('acme', auditEventExportChunk('acme', {}, 'json', 10_000));
    expect(acme.records).toBe(AUDIT_ROWS / 2);
    const records = JSON.parse(`[${acme.text}]`) as AuditRecord[];
    expect(records).toHaveLength(AUDIT_ROWS / 2);
    expect(records.every((r) => r.tenantId === 'acme')).toBe(true);
    const forgetful = { text: 'SELECT DISTINCT tenant_id FROM audit_events', values: [], decodeRows: (rows: unknown[][]) => rows.map((r) => r[0]) };
    expect(await reader.readValues('globex', forgetful)).toEqual(['globex']);
    expect(await reader.readValues('initech', forgetful)).toEqual([]);
  });
});
