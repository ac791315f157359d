import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuntrailApiError, RuntrailUnavailableError } from '@runtrail/client';
import type { ReportSink } from './report-delivery';
import { ReportSpool } from './report-spool';
import { type RunReport } from './run-report';
import { flushSpool, RunReporter, type ReportBudget } from './run-reporter';

const ID = '4b0e7c1e-1d9f-4a57-9f43-0d8c0d1c2f10';
const start: RunReport = { id: ID, workspace: { name: 'w' }, block: { name: 'b' }, action: 'a', status: 'running', startedAt: '2026-01-01T00:00:00.000Z' };
const end: RunReport = { ...start, status: 'failed', finishedAt: '2026-01-01T00:00:01.000Z', exitCode: 3 };
const old: RunReport = { ...start, id: '00000000-0000-4000-8000-000000000001', status: 'successful', finishedAt: '2026-01-01T00:00:01.000Z', exitCode: 0 };

const BUDGET: ReportBudget = { startMs: 300, endMs: 300, timeoutMs: 200, recentFailureMs: 10_000 };

function sink(answer: (batch: RunReport[]) => Promise<unknown> | unknown = () => ({})): ReportSink & { calls: RunReport[][] } {
  const calls: RunReport[][] = [];
  return {
    calls,
    submit: async (batch) => {
      calls.push(batch);
      return answer(batch);
    },
  };
}

describe('RunReporter', () => {
  let dir: string;
  let spool: ReportSpool;

  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'runtrail-reporter-')), '.runtrail');
    spool = new ReportSpool(dir);
  });
  afterEach(() => {
    jest.useRealTimers();
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('sends the start report at once and the end report at the end, and writes no file', async () => {
    let answered!: () => void;
    const firstAnswer = new Promise<void>((resolve) => (answered = resolve));
    const s = sink(() => {
      answered();
      return {};
    });
    const reporter = new RunReporter({ sink: s, spool, budget: BUDGET });
    reporter.begin(start);
    await firstAnswer;
    expect(s.calls).toEqual([[start]]);
    expect(await reporter.finish(end)).toEqual([]);
    expect(s.calls).toEqual([[start], [end]]);
    expect(existsSync(dir)).toBe(false);
  });

  it('sends the spool first, oldest first, in the same request as the start report, and empties it', async () => {
    spool.settle({ add: [old] });
    const s = sink();
    const reporter = new RunReporter({ sink: s, spool, budget: BUDGET });
    reporter.begin(start);
    expect(await reporter.finish(end)).toEqual([]);
    expect(s.calls).toEqual([[old, start], [end]]);
    expect(spool.read()).toEqual([]);
  });

  it('keeps both reports in the spool with one warning when the API is unreachable, and does not try twice', async () => {
    const s = sink(() => {
      throw new RuntrailUnavailableError('Runtrail API unavailable: ECONNREFUSED');
    });
    const reporter = new RunReporter({ sink: s, spool, budget: BUDGET });
    reporter.begin(start);
    const warnings = await reporter.finish(end);
    expect(warnings).toEqual([`could not report the run (Runtrail API unavailable: ECONNREFUSED); kept for the next run in ${spool.path}`]);
    expect(spool.read()).toEqual([start, end]);
    expect(s.calls).toHaveLength(1);
  });

  it('tries the end report again when the start failed long before', async () => {
    jest.useFakeTimers();
    let fail = true;
    const s = sink(() => {
      if (fail) throw new RuntrailUnavailableError('Runtrail API unavailable: ECONNREFUSED');
      return {};
    });
    const reporter = new RunReporter({ sink: s, spool, budget: { ...BUDGET, recentFailureMs: 50 } });
    reporter.begin(start);
    await jest.advanceTimersByTimeAsync(100);
    fail = false;
    expect(await reporter.finish(end)).toEqual([]);
    expect(s.calls).toEqual([[start], [start, end]]);
    expect(existsSync(spool.path)).toBe(false);
  });

  it('keeps the spooled reports it could not send, adding its own once', async () => {
    spool.settle({ add: [old] });
    const s = sink(() => {
      throw new RuntrailApiError(401, ['Unauthorized']);
    });
    const reporter = new RunReporter({ sink: s, spool, budget: BUDGET, secrets: ['rt_key'] });
    reporter.begin(start);
    expect(await reporter.finish(end)).toEqual([`could not report the run (the API key was refused (401)); kept for the next run in ${spool.path}`]);
    expect(spool.read()).toEqual([old, start, end]);
  });

  it('finishes within its budget when the API never answers', async () => {
    const s = sink(() => new Promise(() => undefined));
    const reporter = new RunReporter({ sink: s, spool, budget: BUDGET });
    reporter.begin(start);
    const ended = Date.now();
    const warnings = await reporter.finish(end);
    expect(Date.now() - ended).toBeLessThan(BUDGET.endMs + 300);
    expect(warnings).toEqual([`could not report the run (no answer in time); kept for the next run in ${spool.path}`]);
    expect(spool.read()).toEqual([start, end]);
  });

  it('gives up at once when hurried', async () => {
    jest.useFakeTimers();
    const s = sink(() => new Promise(() => undefined));
    const reporter = new RunReporter({ sink: s, spool, budget: { ...BUDGET, startMs: 5000, endMs: 5000 } });
    reporter.begin(start);
    const hurry = new AbortController();
    const ended = Date.now();
    const finished = reporter.finish(end, hurry.signal);
    await jest.advanceTimersByTimeAsync(50);
    hurry.abort();
    const warnings = await finished;
    expect(Date.now() - ended).toBeLessThan(1000);
    expect(warnings[0]).toMatch(/^could not report the run \(stopped by a signal\)/);
    expect(spool.read()).toEqual([start, end]);
  });

  it('says how many old reports a full spool dropped', async () => {
    const small = new ReportSpool(dir, { maxEntries: 2, maxBytes: 1 << 20 });
    small.settle({ add: [old, { ...old, id: '00000000-0000-4000-8000-000000000002' }] });
    const s = sink(() => {
      throw new RuntrailUnavailableError('Runtrail API unavailable: ECONNREFUSED');
    });
    const reporter = new RunReporter({ sink: s, spool: small, budget: BUDGET });
    reporter.begin(start);
    const warnings = await reporter.finish(end);
    expect(warnings).toEqual([`could not report the run (Runtrail API unavailable: ECONNREFUSED); kept for the next run in ${small.path} (the spool was full: dropped the 2 oldest reports)`]);
    expect(small.read()).toEqual([start, end]);
  });

  it('moves a report the API refuses as invalid to rejected.jsonl and does not spool it', async () => {
    const s = sink(() => {
      throw new RuntrailApiError(400, ['[0].block.name must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$']);
    });
    const reporter = new RunReporter({ sink: s, spool, budget: BUDGET });
    reporter.begin(start);
    const warnings = await reporter.finish(end);
    expect(warnings).toEqual([
      `the API refused 2 reports as invalid (Runtrail API answered 400: [0].block.name must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$); moved to ${spool.rejectedPath}, not to be sent again`,
    ]);
    expect(spool.read()).toEqual([]);
    expect(spool.readRejected().map((r) => r.report)).toEqual([start, end]);
  });
});

describe('flushSpool', () => {
  let dir: string;
  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'runtrail-flush-')), '.runtrail');
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('sends nothing for an empty spool', async () => {
    const s = sink();
    expect(await flushSpool(new ReportSpool(dir), s, { deadline: Date.now() + 1000, timeoutMs: 100 })).toEqual({ delivered: 0, rejected: [], left: 0, dropped: 0 });
    expect(s.calls).toEqual([]);
  });

  it('sends the spool in one request and empties it', async () => {
    const spool = new ReportSpool(dir);
    spool.settle({ add: [old, start, end] });
    const s = sink();
    expect(await flushSpool(spool, s, { deadline: Date.now() + 1000, timeoutMs: 100 })).toEqual({ delivered: 3, rejected: [], left: 0, dropped: 0 });
    expect(s.calls).toEqual([[old, start, end]]);
    expect(spool.read()).toEqual([]);
  });

  it('keeps what it could not send', async () => {
    const spool = new ReportSpool(dir);
    spool.settle({ add: [old] });
    const s = sink(() => {
      throw new RuntrailUnavailableError('Runtrail API unavailable: ECONNREFUSED');
    });
    expect(await flushSpool(spool, s, { deadline: Date.now() + 1000, timeoutMs: 100 })).toMatchObject({ delivered: 0, left: 1, problem: 'Runtrail API unavailable: ECONNREFUSED' });
    expect(spool.read()).toEqual([old]);
  });
});
