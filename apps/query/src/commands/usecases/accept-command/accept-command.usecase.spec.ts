import { ConflictError, ManualClock, NotFoundError } from '@runtrail/platform';
import { fakeNatsClient } from '../../../../test/fakes';
import { runnerAuth, runnerRecord, waitingCommand } from '../../../../test/fixtures';
import type { CommandEvents } from '../../command-events';
import { CommandStore } from '../../command-store';
import { CommandTransitions } from '../../command-transitions';
import { AcceptCommand } from './accept-command.usecase';

describe('AcceptCommand', () => {
  const runner = runnerRecord();
  const auth = runnerAuth(runner);
  let clock: ManualClock;
  let store: CommandStore;
  let facts: string[];
  let accept: AcceptCommand;

  beforeEach(async () => {
    clock = new ManualClock(Date.parse('2026-03-01T10:05:00.000Z'));
    store = await CommandStore.open(fakeNatsClient(), 'test', 1);
    facts = [];
    const events = { changed: async (_auth: unknown, c: { value: { status: string } }) => void facts.push(c.value.status) };
    accept = new AcceptCommand(new CommandTransitions(store, events as unknown as CommandEvents, clock), clock);
  });

  it('gives a waiting command to its runner, once: of two attempts exactly one wins', async () => {
    const c = waitingCommand();
    await store.create(c);
    const attempts = await Promise.allSettled([accept.execute({ auth, commandId: c.id }), accept.execute({ auth, commandId: c.id })]);
    expect(attempts.map((a) => a.status).sort()).toEqual(['fulfilled', 'rejected']);
    const won = attempts.find((a) => a.status === 'fulfilled');
    expect(won?.status === 'fulfilled' && won.value).toMatchObject({ id: c.id, status: 'accepted', updatedAt: '2026-03-01T10:05:00.000Z' });
    const lost = attempts.find((a) => a.status === 'rejected');
    expect(lost?.status === 'rejected' && lost.reason).toBeInstanceOf(ConflictError);
    await expect(accept.execute({ auth, commandId: c.id })).rejects.toThrow(`command ${c.id} was already accepted`);
    expect(facts).toEqual(['accepted']);
  });

  it('never gives out an expired command, and records that it expired', async () => {
    const c = waitingCommand({ status: 'queued' });
    await store.create(c);
    clock.set(c.expiresAt);
    await expect(accept.execute({ auth, commandId: c.id })).rejects.toThrow(new ConflictError(`command ${c.id} expired at ${c.expiresAt}`));
    expect((await store.get(c.id))?.value.status).toBe('expired');
    expect(facts).toEqual(['expired']);
  });

  it("answers another runner's command like a missing one", async () => {
    const c = waitingCommand();
    await store.create(c);
    const stranger = runnerAuth(runnerRecord({ id: '88888888-8888-4888-8888-888888888888' }));
    await expect(accept.execute({ auth: stranger, commandId: c.id })).rejects.toThrow(new NotFoundError(`command ${c.id} not found`));
  });
});
