import { endReport, endStatus, newRun, reportKey, startReport, type RunIdentity } from './run-report';

const identity: RunIdentity = {
  workspace: 'acme-prod',
  block: 'nginx',
  action: 'deploy',
  from: 'registry.example/infra/nginx:0.3.1',
  hostname: 'build-7',
  osUser: 'ci',
  cliVersion: '1.2.3',
};

describe('run reports', () => {
  const run = { id: '4b0e7c1e-1d9f-4a57-9f43-0d8c0d1c2f10', startedAt: new Date('2026-01-02T03:04:05.678Z') };

  it('starts a run with a fresh UUID and the time', () => {
    const a = newRun();
    const b = newRun();
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.id).not.toBe(b.id);
    expect(Math.abs(a.startedAt.getTime() - Date.now())).toBeLessThan(1000);
  });

  it('reports the start as running, without an end or an exit code', () => {
    expect(startReport(identity, run)).toEqual({
      id: run.id,
      workspace: { name: 'acme-prod' },
      block: { name: 'nginx', from: 'registry.example/infra/nginx:0.3.1' },
      action: 'deploy',
      status: 'running',
      startedAt: '2026-01-02T03:04:05.678Z',
      hostname: 'build-7',
      osUser: 'ci',
      cliVersion: '1.2.3',
    });
  });

  it('reports the end with the same id and start, the finish time and the exit code', () => {
    const end = endReport({ ...identity, blockVersion: '0.3.1', osUser: undefined }, run, { exitCode: 3, interrupted: false }, new Date('2026-01-02T03:04:06.000Z'));
    expect(end).toEqual({
      id: run.id,
      workspace: { name: 'acme-prod' },
      block: { name: 'nginx', from: 'registry.example/infra/nginx:0.3.1', version: '0.3.1' },
      action: 'deploy',
      status: 'failed',
      startedAt: '2026-01-02T03:04:05.678Z',
      finishedAt: '2026-01-02T03:04:06.000Z',
      exitCode: 3,
      hostname: 'build-7',
      cliVersion: '1.2.3',
    });
  });

  it('never finishes before it started (a clock stepped back)', () => {
    const end = endReport(identity, run, { exitCode: 0, interrupted: false }, new Date('2026-01-02T03:00:00.000Z'));
    expect(end.finishedAt).toBe(end.startedAt);
  });

  it.each([
    [{ exitCode: 0, interrupted: false }, 'successful'],
    [{ exitCode: 0, interrupted: true }, 'successful'],
    [{ exitCode: 3, interrupted: false }, 'failed'],
    [{ exitCode: 137, signal: 'SIGKILL' as const, interrupted: false }, 'failed'],
    [{ exitCode: 130, signal: 'SIGINT' as const, interrupted: false }, 'aborted'],
    [{ exitCode: 143, signal: 'SIGTERM' as const, interrupted: true }, 'aborted'],
    [{ exitCode: 1, interrupted: true }, 'aborted'],
  ])('maps %j to %s', (ending, status) => {
    expect(endStatus(ending)).toBe(status);
  });

  it('keys a report by run and status', () => {
    expect(reportKey({ id: 'x', status: 'running' })).toBe('x/running');
  });
});
