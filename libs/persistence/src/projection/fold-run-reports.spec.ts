import type { ActionRunReport, Principal, RunStatus } from '@runtrail/contracts';
import { foldRunReports, type PositionedReport } from './fold-run-reports';

const RUN = '3b1c7d2e-1111-4222-8333-444455556666';
const alice = { type: 'User' as const, id: 'k-alice', name: 'alice' };
const ci = { type: 'Application' as const, id: 'k-ci', name: 'ci' };

function report(position: number, status: RunStatus, extra: Partial<ActionRunReport> = {}, submittedBy: Principal = alice): PositionedReport {
  const finished = status !== 'running';
  return {
    position: String(position),
    submittedBy,
    receivedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, position)).toISOString(),
    report: {
      id: RUN,
      workspace: { name: 'acme-prod', organization: null },
      block: { name: 'nginx', from: 'reg/nginx:0.3.1', version: '0.3.1' },
      action: 'deploy',
      status,
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: finished ? '2026-01-01T00:01:00.000Z' : null,
      durationMs: finished ? 60_000 : null,
      exitCode: status === 'successful' ? 0 : status === 'failed' ? 2 : null,
      cliVersion: null,
      hostname: null,
      osUser: null,
      retriggeredFrom: null,
      commandId: null,
      correlationId: null,
      ...extra,
    },
  };
}

describe('foldRunReports', () => {
  it('opens with the first report and lets a terminal report take over, keeping what it leaves out', () => {
    const folded = foldRunReports('acme', [
      report(1, 'running', { hostname: 'laptop-max', cliVersion: '0.18.3' }),
      report(2, 'successful', { hostname: null, osUser: 'max' }, ci),
    ]);
    expect(folded.run).toMatchObject({ status: 'successful', exitCode: 0, hostname: 'laptop-max', cliVersion: '0.18.3', osUser: 'max' });
    expect(folded).toMatchObject({ source: alice, firstPosition: '1', updatedAt: '2026-01-01T00:00:02.000Z' });
  });

  it('never replaces a terminal status with running', () => {
    expect(foldRunReports('acme', [report(1, 'failed'), report(2, 'running')]).run.status).toBe('failed');
  });

  it('keeps the first terminal report when a different one follows', () => {
    const folded = foldRunReports('acme', [report(1, 'running'), report(2, 'failed'), report(3, 'successful')]);
    expect(folded.run).toMatchObject({ status: 'failed', exitCode: 2 });
    expect(folded.updatedAt).toBe('2026-01-01T00:00:02.000Z');
  });

  it('lets a later running report fill gaps but not change what the first said', () => {
    const folded = foldRunReports('acme', [report(1, 'running', { hostname: 'a' }), report(2, 'running', { hostname: 'b', osUser: 'max' })]);
    expect(folded.run).toMatchObject({ status: 'running', hostname: 'a', osUser: 'max' });
  });

  it('gives the same record whatever order the reports arrive in, and however often', () => {
    const reports = [report(4, 'running', { hostname: 'h' }), report(9, 'aborted'), report(12, 'successful'), report(15, 'running')];
    const expected = foldRunReports('acme', reports);
    const shuffled = [reports[3], reports[1], reports[1], reports[0], reports[2], reports[3]];
    expect(foldRunReports('acme', shuffled)).toEqual(expected);
    expect(expected.run.status).toBe('aborted');
  });

  describe('correlationId', () => {
    it('follows the other fields: a terminal report that takes over brings its own', () => {
      const folded = foldRunReports('acme', [report(1, 'running', { correlationId: 'pipeline-1' }), report(2, 'successful', { correlationId: 'pipeline-2' })]);
      expect(folded.run.correlationId).toBe('pipeline-2');
    });

    it('is kept from the earlier report when the terminal one has none', () => {
      const folded = foldRunReports('acme', [report(1, 'running', { correlationId: 'pipeline-1' }), report(2, 'successful', { correlationId: null })]);
      expect(folded.run.correlationId).toBe('pipeline-1');
    });

    it('is not replaced by a later running report', () => {
      const folded = foldRunReports('acme', [report(1, 'running', { correlationId: 'pipeline-1' }), report(2, 'running', { correlationId: 'pipeline-2' })]);
      expect(folded.run.correlationId).toBe('pipeline-1');
    });

    it('takes one from a later report when the earlier ones had none', () => {
      expect(foldRunReports('acme', [report(1, 'running', { correlationId: null }), report(2, 'failed', { correlationId: 'p' })]).run.correlationId).toBe('p');
      expect(foldRunReports('acme', [report(1, 'running'), report(2, 'running', { correlationId: 'p' }), report(3, 'aborted')]).run.correlationId).toBe('p');
    });

    it('is null for reports stored before the field existed', () => {
      const { correlationId: _absent, ...old } = report(1, 'running').report;
      const folded = foldRunReports('acme', [{ ...report(1, 'running'), report: old }, report(2, 'successful')]);
      expect(folded.run.correlationId).toBeNull();
    });

    it('does not change once the run is terminal', () => {
      expect(foldRunReports('acme', [report(1, 'successful'), report(2, 'running', { correlationId: 'late' })]).run.correlationId).toBeNull();
    });
  });
});
