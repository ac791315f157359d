import { generateCommandSigningKeys, verifyCommand, type SignedCommand } from '@runtrail/contracts';
import type { EventPublisher, PublishRequest } from '@runtrail/messaging';
import { recordingTimeline } from '../../test/fakes';
import { tenantAuth, waitingCommand } from '../../test/fixtures';
import type { QueryConfig } from '../shared/config/query.config';
import { CommandEvents } from './command-events';

describe('CommandEvents', () => {
  const keys = generateCommandSigningKeys();
  const delivered: PublishRequest[] = [];
  const publisher = { publishAll: async (r: PublishRequest[]) => void delivered.push(...r), publishEvents: async () => [] };
  const { acts, recorder } = recordingTimeline();
  const events = new CommandEvents(publisher as unknown as EventPublisher, { RUNTRAIL_NAMESPACE: 'test' } as QueryConfig, keys, recorder);

  it("signs for the runner the run's block reference and version and the command's correlation id, and records the schedule in the timeline", async () => {
    const scheduleId = '99999999-9999-4999-8999-999999999999';
    const command = waitingCommand({ blockFrom: 'registry/nginx', blockVersion: '0.3.1', correlationId: 'pipe-1', scheduleId });
    await events.requested(tenantAuth('acme'), { value: command, revision: 1 });

    const signed = JSON.parse(Buffer.from(delivered[0].data).toString('utf8')) as SignedCommand;
    const payload = verifyCommand(signed, keys.publicKeyPem, { tenantId: 'acme', runnerId: command.runnerId, now: new Date(command.requestedAt) });
    expect(payload).toMatchObject({ commandId: command.id, blockFrom: 'registry/nginx', blockVersion: '0.3.1', correlationId: 'pipe-1' });
    expect(acts[0]).toMatchObject({ action: 'Retrigger', entityId: command.runId, context: { command_id: command.id, schedule_id: scheduleId } });
  });

  it('signs nulls for a command stored before those fields existed, and records no schedule for a re-trigger by hand', async () => {
    const { blockFrom: _f, blockVersion: _v, correlationId: _c, ...older } = waitingCommand({ id: '66666666-6666-4666-8666-666666666666' });
    await events.requested(tenantAuth('acme'), { value: older, revision: 1 });
    const signed = JSON.parse(Buffer.from(delivered[1].data).toString('utf8')) as SignedCommand;
    expect(signed.payload).toMatchObject({ blockFrom: null, blockVersion: null, correlationId: null });
    expect(acts[1].context).not.toHaveProperty('schedule_id');
  });

  it("records a lease expiry as a failed Retrigger entry in the run's timeline, with the command, its runner and the reason", async () => {
    const command = waitingCommand({ status: 'failed', correlationId: 'pipe-1', updatedAt: '2026-03-01T10:06:00.000Z' });
    await events.leaseExpired(tenantAuth('acme'), command, 'the runner r stopped heartbeating; lease of 60 s expired');
    expect(acts.at(-1)).toEqual({
      tenantId: 'acme', action: 'Retrigger', entityType: 'ActionRun', entityId: command.runId, entityName: `${command.block}.${command.action}`,
      at: '2026-03-01T10:06:00.000Z', correlationId: 'pipe-1', success: false,
      context: { command_id: command.id, runner_id: command.runnerId, workspace: command.workspace, error: 'the runner r stopped heartbeating; lease of 60 s expired' },
    });
  });
});
