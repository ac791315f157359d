import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import { request, type TestStack } from '@runtrail/testing';
import type { FullBenchConfig } from './bench-config';
import { percentiles, type Percentiles } from './load-generator';
import { MEASURED_TENANT } from './seed-tables';
import { MemorySampler } from './service-memory';

/** The months the seed spans (seed-action-runs' SEED_START .. SEED_END). */
const MONTH = { start: '2026-06-01', end: '2026-06-30', endExclusive: '2026-07-01' };
const YEAR = { start: '2025-11-01', end: '2026-10-31', endExclusive: '2026-11-01' };
const WEEK = { start: '2026-06-01', end: '2026-06-07' };
const PAGE = 40;
const WARMUPS = 3;

export interface QueryFigure extends Percentiles {
  path: string;
  /** Records in the last answer. */
  records: number;
}

interface QuerySpec {
  name: string;
  path: string;
  /** Says what is wrong with a 200 answer's body, if anything. */
  check: (body: unknown[]) => string | undefined;
}

const nonEmpty = (body: unknown[]): string | undefined => (body.length > 0 ? undefined : 'an empty answer where the seed has matches');

/** Stats must count exactly the runs SQL counts in the same range. */
function totalIs(expected: number) {
  return (body: unknown[]): string | undefined => {
    const total = (body as { total: number }[]).reduce((s, b) => s + b.total, 0);
    return total === expected ? undefined : `stats counted ${total} runs, the table holds ${expected}`;
  };
}

async function count(db: Client, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await db.query<{ n: string }>(sql, params);
  return Number(rows[0].n);
}

/**
 * The measured requests: each filter of /v1/audit and /v1/action-runs, stats for a month
 * and a year, deployments of the busiest block. Values that must match something (an
 * entity, a correlation id) are read from the seeded rows.
 */
async function querySpecs(db: Client): Promise<QuerySpec[]> {
  const t = MEASURED_TENANT;
  const entity = (await db.query<{ entity_type: string; entity_id: string }>(
    `SELECT entity_type, entity_id FROM audit_events WHERE tenant_id = $1 AND entity_id IS NOT NULL ORDER BY id DESC LIMIT 1`, [t])).rows[0];
  const auditCorrelation = (await db.query<{ c: string }>(
    `SELECT correlation_id AS c FROM audit_events WHERE tenant_id = $1 AND correlation_id IS NOT NULL ORDER BY id LIMIT 1 OFFSET 1000`, [t])).rows[0]?.c ?? 'none';
  const runCorrelation = (await db.query<{ c: string }>(
    `SELECT correlation_id AS c FROM action_runs WHERE tenant_id = $1 AND correlation_id IS NOT NULL ORDER BY first_position LIMIT 1 OFFSET 1000`, [t])).rows[0]?.c ?? 'none';
  const inRange = (r: { start: string; endExclusive: string }) =>
    count(db, 'SELECT count(*) AS n FROM action_runs WHERE tenant_id = $1 AND started_at >= $2 AND started_at < $3', [t, `${r.start}T00:00:00Z`, `${r.endExclusive}T00:00:00Z`]);
  const monthRuns = await inRange(MONTH);
  const yearRuns = await inRange(YEAR);
  const month = `start=${MONTH.start}&end=${MONTH.end}`;
  const year = `start=${YEAR.start}&end=${YEAR.end}`;
  const source = encodeURIComponent(`user7@${t}.example`);
  return [
    { name: 'audit_first_page', path: `/v1/audit?limit=${PAGE}`, check: nonEmpty },
    { name: 'audit_time_range', path: `/v1/audit?start=${WEEK.start}&end=${WEEK.end}&limit=${PAGE}`, check: nonEmpty },
    { name: 'audit_entity', path: `/v1/audit?entity_type=${entity.entity_type}&entity_id=${entity.entity_id}&limit=${PAGE}`, check: nonEmpty },
    { name: 'audit_source_name', path: `/v1/audit?source_name=${source}&limit=${PAGE}`, check: nonEmpty },
    { name: 'audit_action', path: `/v1/audit?action=Delete&limit=${PAGE}`, check: nonEmpty },
    { name: 'audit_success_false', path: `/v1/audit?success=false&limit=${PAGE}`, check: nonEmpty },
    { name: 'audit_correlation_id', path: `/v1/audit?correlation_id=${auditCorrelation}&limit=${PAGE}`, check: nonEmpty },
    { name: 'audit_changed_field', path: `/v1/audit?changed_field=owner&limit=${PAGE}`, check: nonEmpty },
    { name: 'runs_first_page', path: `/v1/action-runs?limit=${PAGE}`, check: nonEmpty },
    { name: 'runs_block', path: `/v1/action-runs?block=nginx&limit=${PAGE}`, check: nonEmpty },
    { name: 'runs_workspace', path: `/v1/action-runs?workspace=acme-prod&limit=${PAGE}`, check: nonEmpty },
    { name: 'runs_status', path: `/v1/action-runs?status=failed,aborted&limit=${PAGE}`, check: nonEmpty },
    { name: 'runs_time_range', path: `/v1/action-runs?${month}&limit=${PAGE}`, check: nonEmpty },
    { name: 'runs_block_status', path: `/v1/action-runs?block=nginx&status=failed&limit=${PAGE}`, check: nonEmpty },
    { name: 'runs_correlation_id', path: `/v1/action-runs?correlation_id=${runCorrelation}&limit=${PAGE}`, check: nonEmpty },
    { name: 'stats_month', path: `/v1/action-runs/stats?${month}&interval=day`, check: totalIs(monthRuns) },
    { name: 'stats_year', path: `/v1/action-runs/stats?${year}&interval=month`, check: totalIs(yearRuns) },
    { name: 'stats_year_by_status', path: `/v1/action-runs/stats?${year}&interval=month&group_by=status`, check: totalIs(yearRuns) },
    { name: 'stats_year_by_block', path: `/v1/action-runs/stats?${year}&interval=month&group_by=block`, check: totalIs(yearRuns) },
    { name: 'deployments_busiest_block', path: '/v1/deployments?block=nginx', check: nonEmpty },
  ];
}

/** Timed samples per measured request: 200 at BENCH_SECONDS=60, scaled with it. */
export function samplesPerQuery(c: FullBenchConfig): { samples: number; capMs: number } {
  return { samples: Math.max(20, Math.round((c.seconds * 200) / 60)), capMs: Math.max(5, c.seconds / 2) * 1000 };
}

/** One GET, from send until the whole body is read and parsed. */
async function timedGet(base: string, path: string, key: string) {
  const t0 = performance.now();
  const res = await request('GET', base + path, { key });
  return { ms: performance.now() - t0, res };
}

/**
 * `WARMUPS` unmeasured, then up to `samples` requests one at a time (fewer when they
 * take longer than `capMs` together, at least five). Every answer must be a 200 whose
 * body passes `check`.
 */
async function measure(base: string, key: string, path: string, check: QuerySpec['check'], c: FullBenchConfig): Promise<QueryFigure> {
  const { samples, capMs } = samplesPerQuery(c);
  const times: number[] = [];
  let records = 0;
  const started = performance.now();
  for (let i = 0; i < WARMUPS + samples; i++) {
    const { ms, res } = await timedGet(base, path, key);
    if (res.status !== 200 || !Array.isArray(res.body)) throw new Error(`GET ${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
    const problem = check(res.body);
    if (problem) throw new Error(`GET ${path}: ${problem}`);
    records = res.body.length;
    if (i >= WARMUPS) times.push(ms);
    if (times.length >= 5 && performance.now() - started > capMs) break;
  }
  return { ...percentiles(times), path, records };
}

export async function measureQueries(t: TestStack, db: Client, key: string, c: FullBenchConfig, log: (m: string) => void): Promise<{ figures: Record<string, QueryFigure>; problems: string[] }> {
  const figures: Record<string, QueryFigure> = {};
  const problems: string[] = [];
  for (const spec of await querySpecs(db)) {
    try {
      figures[spec.name] = await measure(t.queryUrl, key, spec.path, spec.check, c);
      log(`  ${spec.name.padEnd(26)} p50 ${figures[spec.name].p50.toFixed(1).padStart(8)} ms  p99 ${figures[spec.name].p99.toFixed(1).padStart(8)} ms  (${figures[spec.name].count} samples)`);
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
      log(`  ${spec.name}: FAILED ${problems[problems.length - 1]}`);
    }
  }
  return { figures, problems };
}

export interface DeepPageFigures {
  page: number;
  limit: number;
  /** Following `Link: rel="next"` up to the page (see measureDeepPage), all requests together. */
  walkSeconds: number;
  cursor: QueryFigure;
  offset: QueryFigure;
}

const ids = (body: unknown[]): string => (body as { id: number }[]).map((r) => r.id).join(',');

/** Pages of this size carry the walk to the deep page: the cursor binds the filters, not the page size. */
const WALK_LIMIT = 1000;

/** `path` (a Link target) asking for `limit` records instead of the limit it repeats. */
function withLimit(path: string, limit: number): string {
  const url = new URL(path, 'http://x');
  url.searchParams.set('limit', String(limit));
  return `${url.pathname}${url.search}`;
}

/**
 * Reaches page `c.deepPage` (of 40 records) of the measured tenant's timeline by following
 * `Link: rel="next"` from the first page, then times that page's request by cursor, and
 * the same page by `offset` (the baseline). Both must answer the same records. The walk
 * goes in pages of 1000 while it can, then of 40: the cursor it ends with is the one 9,999
 * pages of 40 would give (a position, bound to the filters), and the walk is 424 requests
 * instead of 9,999.
 */
export async function measureDeepPage(t: TestStack, key: string, auditRows: number, c: FullBenchConfig, log: (m: string) => void): Promise<DeepPageFigures> {
  const page = Math.min(c.deepPage, Math.floor(auditRows / PAGE));
  let remaining = (page - 1) * PAGE;
  let path = `/v1/audit?limit=${PAGE}`;
  let requests = 0;
  const t0 = performance.now();
  while (remaining > 0) {
    const step = remaining >= WALK_LIMIT ? WALK_LIMIT : PAGE;
    const res = await request('GET', t.queryUrl + withLimit(path, step), { key });
    const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
    if (res.status !== 200 || !Array.isArray(res.body) || res.body.length !== step || !next) {
      throw new Error(`walking to page ${page}: ${path.slice(0, 120)} answered ${res.status} without a full page and Link rel="next"`);
    }
    path = withLimit(next[1], PAGE);
    remaining -= step;
    if (++requests % 100 === 0) log(`  walked ${(page - 1) * PAGE - remaining} of ${(page - 1) * PAGE} records`);
  }
  const walkSeconds = (performance.now() - t0) / 1000;
  const offsetPath = `/v1/audit?limit=${PAGE}&offset=${(page - 1) * PAGE}`;
  const a = await request('GET', t.queryUrl + path, { key });
  const b = await request('GET', t.queryUrl + offsetPath, { key });
  if (!Array.isArray(a.body) || !Array.isArray(b.body) || a.body.length !== PAGE || ids(a.body) !== ids(b.body)) {
    throw new Error(`page ${page} by cursor and by offset differ (${a.status}, ${b.status})`);
  }
  const samePage = (body: unknown[]) => (body.length === PAGE ? undefined : `a page of ${body.length} records`);
  const cursor = await measure(t.queryUrl, key, path, samePage, c);
  const offset = await measure(t.queryUrl, key, offsetPath, samePage, c);
  return { page, limit: PAGE, walkSeconds, cursor, offset };
}

export interface ExportFigures {
  format: 'csv' | 'json';
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  /** The query service's highest RSS while it answered, sampled every 50 ms. */
  peakRssMb: number;
}

/** Counts records in a streamed download without holding it: CSV lines, or `"eventId":"` keys in JSON. */
class RecordCounter {
  private tail = '';
  private hits = 0;
  private lastChar = '';
  constructor(private readonly format: 'csv' | 'json') {}

  feed(text: string): void {
    const needle = this.format === 'csv' ? '\n' : '"eventId":"';
    const s = this.tail + text;
    let i = s.indexOf(needle);
    while (i !== -1) {
      this.hits++;
      i = s.indexOf(needle, i + needle.length);
    }
    // Keep what could be the start of a needle split across chunks, and only that.
    this.tail = needle.length > 1 ? s.slice(Math.max(0, s.length - needle.length + 1)) : '';
    if (text) this.lastChar = text[text.length - 1];
  }

  get records(): number {
    // CSV: lines minus the header (a last line may lack its newline).
    return this.format === 'csv' ? this.hits + (this.lastChar && this.lastChar !== '\n' ? 1 : 0) - 1 : this.hits;
  }
}

/** `download=true` of the measured tenant's whole timeline, streamed and counted, with the query service's RSS sampled. */
export async function measureExport(t: TestStack, key: string, format: 'csv' | 'json', expectedRows: number, timeoutMs: number): Promise<ExportFigures> {
  const sampler = new MemorySampler(() => ({ query: t.stack.services.query.pid }), 50).start();
  const t0 = performance.now();
  let bytes = 0;
  const counter = new RecordCounter(format);
  try {
    const res = await fetch(`${t.queryUrl}/v1/audit?download=true&format=${format}`, { headers: { authorization: `Bearer ${key}` }, signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200 || !res.body) throw new Error(`export (${format}) answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      counter.feed(decoder.decode(chunk, { stream: true }));
    }
  } finally {
    sampler.stop();
  }
  const seconds = (performance.now() - t0) / 1000;
  if (counter.records !== expectedRows) throw new Error(`export (${format}) held ${counter.records} records, the tenant has ${expectedRows}`);
  return { format, rows: counter.records, bytes, seconds, rowsPerSecond: counter.records / seconds, peakRssMb: sampler.peakMb.query ?? NaN };
}
