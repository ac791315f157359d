import { RuntrailApiError, RuntrailUnavailableError } from '@runtrail/client';
import { batches, deliverReports, type ReportSink } from './report-delivery';
import type { RunReport } from './run-report';

function report(n: number, block = 'b'): RunReport {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    workspace: { name: 'w' },
    block: { name: block },
    action: 'a',
    status: 'running',
    startedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** A sink that answers each request with `answer(batch)` and records what it got. */
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

const soon = () => ({ deadline: Date.now() + 1000, timeoutMs: 500 });

describe('batches', () => {
  it('keeps order and puts at most 1000 reports in one request', () => {
    const reports = Array.from({ length: 2500 }, (_, i) => report(i));
    const out = batches(reports);
    expect(out.map((b) => b.length)).toEqual([1000, 1000, 500]);
    expect(out.flat()).toEqual(reports);
  });

  it('keeps a request well under 1 MiB', () => {
    const big = Array.from({ length: 40 }, (_, i) => ({ ...report(i), hostname: 'h'.repeat(30_000) }));
    const out = batches(big);
    expect(out.length).toBeGreaterThan(1);
    for (const b of out) expect(Buffer.byteLength(JSON.stringify(b))).toBeLessThan(600 * 1024);
  });
});

describe('deliverReports', () => {
  it('sends everything in one request when it can', async () => {
    const s = sink();
    const result = await deliverReports([report(1), report(2)], s, soon());
    expect(s.calls).toEqual([[report(1), report(2)]]);
    expect(result).toEqual({ delivered: [report(1), report(2)], rejected: [], undelivered: [] });
  });

  it('sets aside the items a 400 names and sends the rest again', async () => {
    const s = sink((batch) => {
      const bad = batch.findIndex((r) => r.block.name === 'bad name');
      if (bad >= 0) throw new RuntrailApiError(400, [`[${bad}].block.name must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`]);
      return {};
    });
    const result = await deliverReports([report(1), report(2, 'bad name'), report(3)], s, soon());
    expect(s.calls).toEqual([[report(1), report(2, 'bad name'), report(3)], [report(1), report(3)]]);
    expect(result.delivered).toEqual([report(1), report(3)]);
    expect(result.rejected).toEqual([{ report: report(2, 'bad name'), reason: 'Runtrail API answered 400: [1].block.name must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' }]);
    expect(result.undelivered).toEqual([]);
    expect(result.problem).toBeUndefined();
  });

  it('narrows a refusal that names no item (413) down by halving', async () => {
    const s = sink((batch) => {
      if (batch.some((r) => r.block.name === 'huge')) throw new RuntrailApiError(413, ['request entity too large']);
      return {};
    });
    const reports = [report(1), report(2), report(3, 'huge'), report(4)];
    const result = await deliverReports(reports, s, soon());
    expect(result.delivered).toEqual([report(1), report(2), report(4)]);
    expect(result.rejected.map((r) => r.report)).toEqual([report(3, 'huge')]);
    expect(result.rejected[0].reason).toBe('Runtrail API answered 413: request entity too large');
  });

  it.each([
    ['401', new RuntrailApiError(401, ['Unauthorized']), 'the API key was refused (401)'],
    ['403', new RuntrailApiError(403, ['missing scope']), 'the API key may not submit runs (403, it needs events:write)'],
    ['500', new RuntrailApiError(500, ['Internal server error']), 'Runtrail API answered 500: Internal server error'],
    ['an unreachable API', new RuntrailUnavailableError('Runtrail API unavailable: ECONNREFUSED'), 'Runtrail API unavailable: ECONNREFUSED'],
  ])('stops at %s and leaves the rest undelivered', async (_label, error, problem) => {
    const s = sink(() => {
      throw error;
    });
    const result = await deliverReports([report(1), report(2)], s, soon());
    expect(result).toEqual({ delivered: [], rejected: [], undelivered: [report(1), report(2)], problem });
    expect(s.calls).toHaveLength(1);
  });

  it('never puts the key in a problem, even when the server echoes it', async () => {
    const key = 'rt_supersecretsupersecretsupersecret';
    const s = sink(() => {
      throw new RuntrailApiError(400, [`bad key ${key}`]);
    });
    const result = await deliverReports([report(1)], s, { ...soon(), secrets: [key] });
    expect(JSON.stringify(result)).not.toContain(key);
    expect(result.rejected[0].reason).toContain('***');
  });

  it('gives up on a sink that does not answer by the deadline', async () => {
    const s = sink(() => new Promise(() => undefined));
    const started = Date.now();
    const result = await deliverReports([report(1)], s, { deadline: Date.now() + 300, timeoutMs: 100 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result).toEqual({ delivered: [], rejected: [], undelivered: [report(1)], problem: 'no answer in time' });
  });

  it('gives up at once when hurried', async () => {
    const hurry = new AbortController();
    let waiting!: () => void;
    const submitted = new Promise<void>((resolve) => (waiting = resolve));
    const s = sink(() => {
      waiting();
      return new Promise(() => undefined);
    });
    const started = Date.now();
    const delivered = deliverReports([report(1)], s, { deadline: Date.now() + 5000, timeoutMs: 100, hurry: hurry.signal });
    await submitted;
    hurry.abort();
    const result = await delivered;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.problem).toBe('stopped by a signal');
  });

  it('sends nothing when the deadline has passed', async () => {
    const s = sink();
    const result = await deliverReports([report(1)], s, { deadline: Date.now() - 1, timeoutMs: 100 });
    expect(s.calls).toEqual([]);
    expect(result.undelivered).toEqual([report(1)]);
  });
});
