import { RunnerStore, type RunnerRecord } from '@runtrail/auth';
import { ConflictError, ManualClock, NotFoundError } from '@runtrail/platform';
import { fakeNatsClient } from '../../test/fakes';
import { presence, runnerRecord } from '../../test/fixtures';
import { RunnerChoice, preferredRunner, servingRunners } from './runner-choice';

const a = runnerRecord({ id: 'aaaaaaaa-0000-4000-8000-000000000001', workspaces: ['acme-prod'], createdAt: '2026-01-01T00:00:00.000Z' });
const b = runnerRecord({ id: 'bbbbbbbb-0000-4000-8000-000000000002', workspaces: ['*'], createdAt: '2026-01-02T00:00:00.000Z' });
const elsewhere = runnerRecord({ id: 'cccccccc-0000-4000-8000-000000000003', workspaces: ['acme-stage'] });
const foreign = runnerRecord({ id: 'dddddddd-0000-4000-8000-000000000004', tenantId: 'globex', workspaces: ['*'] });

describe('servingRunners', () => {
  const wanted = { tenantId: 'acme', workspace: 'acme-prod' };

  it("keeps the tenant's runners serving the workspace by name or by *", () => {
    expect(servingRunners([a, b, elsewhere, foreign], wanted)).toEqual([a, b]);
  });

  it('refuses with 409 when no runner of the tenant serves the workspace', () => {
    expect(() => servingRunners([elsewhere, foreign], wanted)).toThrow(
      new ConflictError('no runner of tenant acme serves workspace acme-prod; register one with POST /v1/runners'),
    );
  });

  it('answers a named runner of another tenant, or none, with 404', () => {
    expect(() => servingRunners([foreign], { ...wanted, runnerId: foreign.id })).toThrow(new NotFoundError(`runner ${foreign.id} not found`));
    expect(() => servingRunners([undefined], { ...wanted, runnerId: foreign.id })).toThrow(NotFoundError);
  });

  it('refuses with 409 a named runner that does not serve the workspace', () => {
    expect(() => servingRunners([elsewhere], { ...wanted, runnerId: elsewhere.id })).toThrow(
      new ConflictError(`runner ${elsewhere.id} does not serve workspace acme-prod`),
    );
  });
});

describe('preferredRunner', () => {
  const now = Date.parse('2026-03-01T10:00:00.000Z');
  const ago = (ms: number) => new Date(now - ms).toISOString();

  it('prefers an online runner over one seen more recently but stopped', () => {
    expect(preferredRunner([{ runner: b, presence: presence(ago(0), 'offline') }, { runner: a, presence: presence(ago(20_000)) }], now)).toEqual({ runner: a, online: true });
  });

  it('counts a runner online for 30 seconds after its heartbeat', () => {
    expect(preferredRunner([{ runner: a, presence: presence(ago(29_999)) }], now).online).toBe(true);
    expect(preferredRunner([{ runner: a, presence: presence(ago(30_000)) }], now).online).toBe(false);
  });

  it('then prefers the one seen most recently, then the newest', () => {
    expect(preferredRunner([{ runner: b, presence: presence(ago(90_000)) }, { runner: a, presence: presence(ago(60_000)) }], now).runner).toBe(a);
    expect(preferredRunner([{ runner: a }, { runner: b }], now)).toEqual({ runner: b, online: false });
  });
});

describe('RunnerChoice', () => {
  it('reads the runners and their presence at the time of the clock', async () => {
    const clock = new ManualClock(Date.parse('2026-03-01T10:00:00.000Z'));
    const store = await RunnerStore.open(fakeNatsClient(), 'test', 1);
    for (const r of [a, b, foreign] as RunnerRecord[]) await store.save(r, `hash-${r.id}`);
    await store.setPresence(a.id, presence(clock.iso()));
    const choice = new RunnerChoice(store, clock);

    await expect(choice.choose({ tenantId: 'acme', workspace: 'acme-prod' })).resolves.toEqual({ runner: a, online: true });
    await expect(choice.choose({ tenantId: 'acme', workspace: 'acme-prod', runnerId: b.id })).resolves.toEqual({ runner: b, online: false });
    clock.advance(30_000);
    await expect(choice.choose({ tenantId: 'acme', workspace: 'acme-prod' })).resolves.toEqual({ runner: a, online: false });
  });
});
