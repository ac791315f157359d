import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReportSpool } from './report-spool';
import type { RunReport } from './run-report';

function report(n: number, status: RunReport['status'] = 'running'): RunReport {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    workspace: { name: 'w' },
    block: { name: 'b' },
    action: 'a',
    status,
    startedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('ReportSpool', () => {
  let home: string;
  let dir: string;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'runtrail-spool-'));
    dir = join(home, '.runtrail');
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('reads nothing and writes nothing when there is nothing to keep', () => {
    const spool = new ReportSpool(dir);
    expect(spool.read()).toEqual([]);
    expect(spool.settle({ remove: [report(1)] })).toEqual({ dropped: 0, droppedRejected: 0 });
    expect(existsSync(dir)).toBe(false);
  });

  it('keeps reports one JSON line each, oldest first, in a 0700 directory and a 0600 file', () => {
    const spool = new ReportSpool(dir);
    spool.settle({ add: [report(1), report(1, 'failed')] });
    spool.settle({ add: [report(2)] });
    expect(spool.read()).toEqual([report(1), report(1, 'failed'), report(2)]);
    expect(readFileSync(spool.path, 'utf8').split('\n')).toEqual([...[report(1), report(1, 'failed'), report(2)].map((r) => JSON.stringify(r)), '']);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(spool.path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['spool.jsonl']);
  });

  it('tightens a directory that predates it to 0700', () => {
    mkdirSync(dir, { mode: 0o755 });
    new ReportSpool(dir).settle({ add: [report(1)] });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('removes by identity, keeping what was added meanwhile, and does not add a report twice', () => {
    const spool = new ReportSpool(dir);
    spool.settle({ add: [report(1), report(2)] });
    const snapshot = spool.read();
    spool.settle({ add: [report(3), report(2)] }); // another run, meanwhile
    spool.settle({ remove: snapshot });
    expect(spool.read()).toEqual([report(3)]);
  });

  it('drops the oldest beyond the entry limit and says how many', () => {
    const spool = new ReportSpool(dir, { maxEntries: 3, maxBytes: 1 << 20 });
    spool.settle({ add: [report(1), report(2)] });
    expect(spool.settle({ add: [report(3), report(4), report(5)] })).toEqual({ dropped: 2, droppedRejected: 0 });
    expect(spool.read().map((r) => r.id.slice(-1))).toEqual(['3', '4', '5']);
  });

  it('drops the oldest beyond the byte limit', () => {
    const line = Buffer.byteLength(JSON.stringify(report(1))) + 1;
    const spool = new ReportSpool(dir, { maxEntries: 1000, maxBytes: line * 2 + 10 });
    expect(spool.settle({ add: [report(1), report(2), report(3)] }).dropped).toBe(1);
    expect(spool.read()).toEqual([report(2), report(3)]);
  });

  it('skips a torn or foreign line and drops it at the next rewrite', () => {
    const spool = new ReportSpool(dir);
    spool.settle({ add: [report(1)] });
    appendFileSync(spool.path, '{"id":"00000000-0000-4000-8000-0000000\n[1,2]\nnot json\n');
    expect(spool.read()).toEqual([report(1)]);
    spool.settle({ add: [report(2)] });
    expect(readFileSync(spool.path, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('moves rejected reports out of the spool into rejected.jsonl, with the reason', () => {
    const spool = new ReportSpool(dir);
    spool.settle({ add: [report(1), report(2)] });
    spool.settle({ reject: [{ report: report(1), reason: 'Runtrail API answered 400: [0].block.name must match' }] }, new Date('2026-02-03T04:05:06.000Z'));
    expect(spool.read()).toEqual([report(2)]);
    expect(spool.readRejected()).toEqual([
      { rejectedAt: '2026-02-03T04:05:06.000Z', reason: 'Runtrail API answered 400: [0].block.name must match', report: report(1) },
    ]);
    expect(statSync(spool.rejectedPath).mode & 0o777).toBe(0o600);
  });

  it('bounds rejected.jsonl like the spool', () => {
    const spool = new ReportSpool(dir, { maxEntries: 2, maxBytes: 1 << 20 });
    spool.settle({ reject: [1, 2, 3].map((n) => ({ report: report(n), reason: 'x' })) });
    expect(spool.readRejected().map((r) => r.report.id.slice(-1))).toEqual(['2', '3']);
  });

  it('takes over a stale lock, and does not wait long for a held one', () => {
    const spool = new ReportSpool(dir);
    mkdirSync(dir, { recursive: true });
    const lock = join(dir, 'spool.lock');
    writeFileSync(lock, '1 stale\n');
    utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    spool.settle({ add: [report(1)] });
    expect(existsSync(lock)).toBe(false);

    writeFileSync(lock, '1 held\n');
    const started = Date.now();
    spool.settle({ add: [report(2)] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(spool.read()).toEqual([report(1), report(2)]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
