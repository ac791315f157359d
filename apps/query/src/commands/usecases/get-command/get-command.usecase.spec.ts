import { ManualClock, NotFoundError } from '@runtrail/platform';
import { fakeNatsClient } from '../../../../test/fakes';
import { ROOT_AUTH, tenantAuth, waitingCommand } from '../../../../test/fixtures';
import { CommandStore } from '../../command-store';
import { GetCommand } from './get-command.usecase';

describe('GetCommand', () => {
  const clock = new ManualClock(Date.parse('2026-03-01T10:00:00.000Z'));
  const command = waitingCommand();
  let getCommand: GetCommand;

  beforeAll(async () => {
    const store = await CommandStore.open(fakeNatsClient(), 'test', 1);
    await store.create(command);
    getCommand = new GetCommand(store, clock);
  });

  it('answers the command as it reads now: waiting, then expired once past expiresAt', async () => {
    await expect(getCommand.execute({ auth: tenantAuth('acme'), commandId: command.id.toUpperCase() })).resolves.toMatchObject({ id: command.id, status: 'dispatched' });
    clock.set(command.expiresAt);
    await expect(getCommand.execute({ auth: ROOT_AUTH, commandId: command.id })).resolves.toMatchObject({ status: 'expired' });
  });

  it("answers another tenant's command, and anything that is not an id, like a missing one", async () => {
    await expect(getCommand.execute({ auth: tenantAuth('globex'), commandId: command.id })).rejects.toThrow(new NotFoundError(`command ${command.id} not found`));
    await expect(getCommand.execute({ auth: ROOT_AUTH, commandId: 'cmd.>' })).rejects.toThrow(NotFoundError);
  });
});
