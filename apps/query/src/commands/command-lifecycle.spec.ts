import { COMMAND_STATUSES, commandViewAt, type CommandStatus } from '@runtrail/contracts';
import { ConflictError, ManualClock } from '@runtrail/platform';
import { actionRun, waitingCommand } from '../../test/fixtures';
import { assertMayReport, commandFact, movedTo, newCommand, refusalToAccept } from './command-lifecycle';
import type { CommandState } from './command-store';

describe('the command lifecycle', () => {
  const clock = new ManualClock(Date.parse('2026-03-01T10:00:00.000Z'));
  const requestedBy = { type: 'User' as const, id: 'k1', name: 'alice' };
  const command = (over: Partial<CommandState> = {}): CommandState => waitingCommand({ id: 'c1', ...over });

  describe('a new command', () => {
    it('is dispatched to an online runner and queued for an offline one', () => {
      const base = { id: 'c1', run: actionRun(), runnerId: 'r1', reason: 'flaky', scheduleId: null, correlationId: null, requestedBy, now: clock.now(), ttlSeconds: 60 };
      expect(newCommand({ ...base, online: true }).status).toBe('dispatched');
      expect(newCommand({ ...base, online: false }).status).toBe('queued');
    });

    it('waits for its runner until its time to live has passed, and names who asked for what, the run’s block and the schedule', () => {
      const run = actionRun({ block: { name: 'nginx', from: 'git::https://example.com/blocks//nginx?ref=v3', version: '0.3.1' } });
      const scheduleId = '99999999-9999-4999-8999-999999999999';
      const request = { id: 'c1', run, runnerId: 'r1', online: true, reason: 'flaky', scheduleId, correlationId: 'pipe-1', requestedBy, now: clock.now(), ttlSeconds: 90 };
      expect(newCommand(request)).toEqual({
        id: 'c1',
        tenantId: run.tenantId,
        runId: run.id,
        runnerId: 'r1',
        status: 'dispatched',
        reason: 'flaky',
        requestedBy: { sourceType: 'User', sourceId: 'k1', sourceName: 'alice' },
        requestedAt: '2026-03-01T10:00:00.000Z',
        updatedAt: '2026-03-01T10:00:00.000Z',
        expiresAt: '2026-03-01T10:01:30.000Z',
        newRunId: null,
        exitCode: null,
        scheduleId,
        error: null,
        workspace: 'acme-prod',
        block: 'nginx',
        action: 'deploy',
        blockFrom: 'git::https://example.com/blocks//nginx?ref=v3',
        blockVersion: '0.3.1',
        correlationId: 'pipe-1',
      });
    });
  });

  describe('its effective status', () => {
    it.each<[CommandStatus, CommandStatus]>([
      ['queued', 'expired'],
      ['dispatched', 'expired'],
      ['accepted', 'accepted'],
      ['running', 'running'],
      ['succeeded', 'succeeded'],
    ])('a %s command reads as %s once it expired', (status, after) => {
      const c = command({ status });
      expect(commandViewAt(c, Date.parse(c.expiresAt) - 1).status).toBe(status);
      expect(commandViewAt(c, Date.parse(c.expiresAt)).status).toBe(after);
    });

    it('keeps the stored status in the fact, whatever the time', () => {
      const c = command({ status: 'queued', expiresAt: '2020-01-01T00:00:00.000Z' });
      expect(commandFact(c, 7)).toMatchObject({ id: 'c1', status: 'queued', tenantId: 'acme', revision: 7 });
      expect(Object.keys(commandFact(c, 7))).not.toContain('workspace');
    });
  });

  describe('accepting it', () => {
    it('is allowed while it waits and has not expired', () => {
      expect(refusalToAccept(command({ status: 'queued' }), 'C1', clock.now())).toBeUndefined();
      expect(refusalToAccept(command({ status: 'dispatched' }), 'C1', clock.now())).toBeUndefined();
    });

    it('is refused once it expired, and the expiry is then recorded', () => {
      const c = command({ status: 'dispatched' });
      const refusal = refusalToAccept(c, 'C1', Date.parse(c.expiresAt));
      expect(refusal).toEqual({ error: new ConflictError(`command C1 expired at ${c.expiresAt}`), recordExpiry: true });
      expect(refusal?.error).toBeInstanceOf(ConflictError);
    });

    it('is refused for a command recorded as expired, with nothing more to record', () => {
      const c = command({ status: 'expired' });
      expect(refusalToAccept(c, 'C1', clock.now())).toEqual({ error: new ConflictError(`command C1 expired at ${c.expiresAt}`), recordExpiry: false });
    });

    it.each<CommandStatus>(['accepted', 'running', 'succeeded', 'failed'])('is refused once it was %s, expired or not', (status) => {
      const c = command({ status });
      for (const now of [clock.now(), Date.parse(c.expiresAt) + 1]) {
        expect(refusalToAccept(c, 'C1', now)).toEqual({ error: new ConflictError(`command C1 was already ${status}`), recordExpiry: false });
      }
    });
  });

  describe('what a runner may report', () => {
    const allowed: Record<string, CommandStatus[]> = { accepted: ['running', 'succeeded', 'failed'], running: ['succeeded', 'failed'] };

    it.each(COMMAND_STATUSES.flatMap((from) => COMMAND_STATUSES.map((to) => [from, to] as const)))('from %s to %s', (from, to) => {
      const attempt = () => assertMayReport('C1', from, to);
      if ((allowed[from] ?? []).includes(to)) expect(attempt).not.toThrow();
      else expect(attempt).toThrow(new ConflictError(`command C1 cannot go from ${from} to ${to}`));
    });
  });

  it('moves on with the changes and the time of the change', () => {
    expect(movedTo(command({ status: 'accepted' }), 'succeeded', { exitCode: 0, newRunId: 'n1' }, '2026-03-01T10:05:00.000Z')).toMatchObject({
      status: 'succeeded',
      exitCode: 0,
      newRunId: 'n1',
      requestedAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:05:00.000Z',
    });
  });
});
