import { RunnerStore } from '@runtrail/auth';
import type { CommandStatus } from '@runtrail/contracts';
import { ConflictError, ManualClock } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import { fakeNatsClient } from '../../../../test/fakes';
import { presence, runnerAuth, runnerRecord, waitingCommand } from '../../../../test/fixtures';
import type { QueryConfig } from '../../../shared/config/query.config';
import type { CommandEvents } from '../../command-events';
import { CommandStore, type CommandState } from '../../command-store';
import { CommandTransitions } from '../../command-transitions';
import type { CommandRepository } from '../../command.repository';
import { ReportCommandStatus } from '../report-command-status/report-command-status.usecase';
import { ExpireCommandLeases } from './expire-command-leases.usecase';

describe('ExpireCommandLeases', () => {
  const runner = runnerRecord({ name: 'edge-7' });
  const REASON = 'the runner edge-7 stopped heartbeating; lease of 60 s expired';
  let clock: ManualClock;
  let runners: RunnerStore;
  let store: CommandStore;
  let facts: { id: string; status: CommandStatus; by: string }[];
  let failures: { commandId: string; error: string; by: string }[];
  let transitions: CommandTransitions;
  let events: CommandEvents;
  let ids: string[];
  /** The store's own read, whatever a test does to `store.get`. */
  let peek: CommandStore['get'];

  beforeEach(async () => {
    clock = new ManualClock(Date.parse('2026-03-01T10:05:00.000Z'));
    const nats = fakeNatsClient();
    runners = await RunnerStore.open(nats, 'test', 1);
    await runners.save(runner, 'hash');
    store = await CommandStore.open(nats, 'test', 1);
    peek = store.get.bind(store);
    facts = [];
    failures = [];
    ids = [];
    events = {
      changed: async (auth: { principal: { name: string } }, c: { value: CommandState }) => void facts.push({ id: c.value.id, status: c.value.status, by: auth.principal.name }),
      leaseExpired: async (auth: { principal: { name: string } }, c: CommandState, error: string) => void failures.push({ commandId: c.id, error, by: auth.principal.name }),
    } as unknown as CommandEvents;
    transitions = new CommandTransitions(store, events, clock);
  });

  async function put(c: CommandState): Promise<void> {
    ids.push(c.id);
    await store.create(c);
  }

  /**
   * A replica's sweep. The projection plays one that lags: it offers every command of the
   * runner under any status asked for, so only the authoritative state may decide.
   */
  function replica(): ExpireCommandLeases {
    const projected = {
      withStatus: async (tenantId: string, runnerId: string) => {
        const all = await Promise.all(ids.map((id) => peek(id)));
        return all.filter((c) => c?.value.tenantId === tenantId && c.value.runnerId === runnerId).map((c) => c?.value);
      },
    } as unknown as CommandRepository;
    return new ExpireCommandLeases(
      runners,
      projected,
      store,
      transitions,
      events,
      { COMMAND_LEASE_SECONDS: 60 } as QueryConfig,
      clock,
      new PinoLogger({ pinoHttp: { level: 'silent' } }),
    );
  }

  const taken = waitingCommand({ status: 'running', updatedAt: '2026-03-01T10:00:00.000Z' });

  it('keeps a running command while its runner heartbeats, and fails it with the reason once the lease has passed since the last beat', async () => {
    await put(taken);
    await runners.setPresence(runner.id, presence('2026-03-01T10:04:30.000Z'));
    await expect(replica().execute()).resolves.toEqual({ expired: 0, lost: 0 });

    clock.set('2026-03-01T10:05:29.999Z');
    await expect(replica().execute()).resolves.toEqual({ expired: 0, lost: 0 });
    expect((await store.get(taken.id))?.value.status).toBe('running');

    clock.set('2026-03-01T10:05:30.000Z');
    await expect(replica().execute()).resolves.toEqual({ expired: 1, lost: 0 });
    expect((await store.get(taken.id))?.value).toMatchObject({ status: 'failed', exitCode: null, updatedAt: '2026-03-01T10:05:30.000Z', error: REASON });
    expect(facts).toEqual([{ id: taken.id, status: 'failed', by: 'runtrail' }]);
    expect(failures).toEqual([{ commandId: taken.id, error: REASON, by: 'runtrail' }]);
    // Failed is final: the next round has nothing to do.
    await expect(replica().execute()).resolves.toEqual({ expired: 0, lost: 0 });
  });

  it('counts the lease from the accept when it came after the last beat, and from the accept alone for a runner that never beat', async () => {
    await put({ ...taken, status: 'accepted', updatedAt: '2026-03-01T10:05:00.000Z' });
    await runners.setPresence(runner.id, presence('2026-03-01T10:00:00.000Z'));
    clock.set('2026-03-01T10:05:59.999Z');
    await expect(replica().execute()).resolves.toEqual({ expired: 0, lost: 0 });
    await runners.kv.delete(`presence.${runner.id}`);
    await expect(replica().execute()).resolves.toEqual({ expired: 0, lost: 0 });
    clock.set('2026-03-01T10:06:00.000Z');
    await expect(replica().execute()).resolves.toEqual({ expired: 1, lost: 0 });
    expect(failures.map((f) => f.error)).toEqual([REASON]);
  });

  it('fails the command once however many replicas sweep at the same moment', async () => {
    await put(taken);
    clock.set('2026-03-01T10:10:00.000Z');
    const outcomes = await Promise.all([replica().execute(), replica().execute(), replica().execute()]);
    // All three read it running; one write wins, the other two get 409 and record nothing.
    expect(outcomes.map((o) => o.expired).sort()).toEqual([0, 0, 1]);
    expect(outcomes.map((o) => o.lost).sort()).toEqual([0, 1, 1]);
    expect(facts).toHaveLength(1);
    expect(failures).toHaveLength(1);
  });

  it('loses cleanly to the runner’s own report landing between its read and its write: the report stands', async () => {
    await put(taken);
    clock.set('2026-03-01T10:10:00.000Z');
    const report = new ReportCommandStatus(transitions);
    let reported = false;
    jest.spyOn(store, 'get').mockImplementation(async (id) => {
      const seen = await peek(id);
      if (!reported) {
        reported = true;
        await report.execute({ auth: runnerAuth(runner), commandId: id, status: 'succeeded', exitCode: 0 });
      }
      return seen;
    });
    await expect(replica().execute()).resolves.toEqual({ expired: 0, lost: 1 });
    expect((await peek(taken.id))?.value).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(facts.map((f) => f.status)).toEqual(['succeeded']);
    expect(failures).toEqual([]);
  });

  it('refuses (409) the runner’s late report after the lease failed the command: failed stays', async () => {
    await put(taken);
    clock.set('2026-03-01T10:10:00.000Z');
    await replica().execute();
    const late = new ReportCommandStatus(transitions).execute({ auth: runnerAuth(runner), commandId: taken.id, status: 'succeeded', exitCode: 0 });
    await expect(late).rejects.toThrow(new ConflictError(`command ${taken.id} cannot go from failed to succeeded`));
    expect((await store.get(taken.id))?.value).toMatchObject({ status: 'failed', exitCode: null });
  });

  it('never touches a command nobody took or one that is finished', async () => {
    const statuses = ['dispatched', 'queued', 'succeeded', 'failed', 'expired'] as const;
    for (const [i, status] of statuses.entries()) await put({ ...taken, id: taken.id.replace(/7$/, String(i)), status });
    clock.set('2026-03-01T11:00:00.000Z');
    await expect(replica().execute()).resolves.toEqual({ expired: 0, lost: 0 });
    expect(facts).toEqual([]);
  });
});
