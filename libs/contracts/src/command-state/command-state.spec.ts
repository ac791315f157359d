import { commandView, commandViewAt, type CommandView } from './command-state';

const view: CommandView = {
  id: '7b0c5c1e-1111-4a4a-8888-000000000001',
  runId: '7b0c5c1e-2222-4a4a-8888-000000000002',
  runnerId: '7b0c5c1e-3333-4a4a-8888-000000000003',
  status: 'queued',
  reason: null,
  requestedBy: { sourceType: 'User', sourceId: 'k1', sourceName: 'max' },
  requestedAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2026-01-01T01:00:00.000Z',
  newRunId: null,
  exitCode: null,
  scheduleId: '7b0c5c1e-4444-4a4a-8888-000000000004',
  error: null,
};

describe('a command as readers see it', () => {
  it('keeps the answer fields of a stored state or a projected row, and nothing else', () => {
    const stored = { ...view, tenantId: 'acme', revision: 7, workspace: 'acme-prod', block: 'nginx', action: 'deploy' };
    expect(commandView(stored)).toEqual(view);
    expect(Object.keys(commandView(stored)).at(-1)).toBe('error');
  });

  it('reads a command stored before schedules existed as not scheduled', () => {
    const { scheduleId: _, ...older } = view;
    expect(commandView(older as CommandView).scheduleId).toBeNull();
  });

  it('reads a command stored before leases existed as failed by nobody', () => {
    const { error: _, ...older } = { ...view, status: 'failed' as const };
    expect(commandView(older as CommandView).error).toBeNull();
  });

  it('reads a waiting command as expired from its expiry on, and leaves other statuses alone', () => {
    const expiry = Date.parse(view.expiresAt);
    expect(commandViewAt(view, expiry - 1).status).toBe('queued');
    expect(commandViewAt(view, expiry).status).toBe('expired');
    expect(commandViewAt({ ...view, status: 'running' }, expiry + 1).status).toBe('running');
  });
});
