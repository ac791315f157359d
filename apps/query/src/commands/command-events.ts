import { Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { commandSubject, signCommand } from '@runtrail/contracts';
import { EventPublisher } from '@runtrail/messaging';
import { COMMAND_SIGNING_KEYS, type CommandSigningKeys } from '../shared/command-signing/signing-keys';
import { QueryConfig } from '../shared/config/query.config';
import { TimelineRecorder, type OwnAct } from '../shared/timeline/timeline-recorder';
import { commandFact } from './command-lifecycle';
import type { CommandState, Versioned } from './command-store';

/** The run's Retrigger entry for a command, what every one says: the command, its runner and workspace. */
function retriggerAct(c: CommandState): OwnAct & { context: Record<string, string> } {
  return {
    tenantId: c.tenantId,
    action: 'Retrigger',
    entityType: 'ActionRun',
    entityId: c.runId,
    entityName: `${c.block}.${c.action}`,
    correlationId: c.correlationId ?? null,
    context: { command_id: c.id, runner_id: c.runnerId, workspace: c.workspace },
  };
}

/** What the stream learns of a command: its delivery to the runner, each state, and who asked. */
@Injectable()
export class CommandEvents {
  constructor(
    private readonly publisher: EventPublisher,
    @Inject(QueryConfig) private readonly config: QueryConfig,
    @Inject(COMMAND_SIGNING_KEYS) private readonly keys: CommandSigningKeys,
    private readonly timeline: TimelineRecorder,
  ) {}

  /** A new command: delivered to its runner, kept as a fact, and entered in the run's timeline. */
  async requested(auth: AuthContext, created: Versioned<CommandState>): Promise<void> {
    const c = created.value;
    await this.deliver(c);
    await this.changed(auth, created);
    const act = retriggerAct(c);
    await this.timeline.record(auth, {
      ...act,
      eventId: c.id,
      at: c.requestedAt,
      context: {
        ...act.context,
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.scheduleId ? { schedule_id: c.scheduleId } : {}),
      },
    });
  }

  /**
   * A taken command the service failed because its runner stopped heartbeating: a failed
   * Retrigger entry in the run's timeline saying why, like a schedule's firing that made no command.
   */
  async leaseExpired(auth: AuthContext, c: CommandState, error: string): Promise<void> {
    const act = retriggerAct(c);
    await this.timeline.record(auth, { ...act, at: c.updatedAt, success: false, context: { ...act.context, error } });
  }

  /** Every state change is a fact in the stream, with the revision that orders it. */
  async changed(auth: AuthContext, { value: c, revision }: Versioned<CommandState>): Promise<void> {
    await this.publisher.publishEvents({ kind: 'command', tenantId: c.tenantId, submitter: auth.principal, receivedAt: c.updatedAt }, [commandFact(c, revision)]);
  }

  /** The runner's copy, signed, on the subject only its consumer reads. */
  private async deliver(c: CommandState): Promise<void> {
    const signed = signCommand(
      {
        v: 1,
        commandId: c.id,
        tenantId: c.tenantId,
        runnerId: c.runnerId,
        runId: c.runId,
        workspace: c.workspace,
        block: c.block,
        action: c.action,
        reason: c.reason,
        requestedAt: c.requestedAt,
        expiresAt: c.expiresAt,
        blockFrom: c.blockFrom ?? null,
        blockVersion: c.blockVersion ?? null,
        correlationId: c.correlationId ?? null,
      },
      this.keys.privateKeyPem,
    );
    await this.publisher.publishAll([
      { subject: commandSubject(this.config.RUNTRAIL_NAMESPACE, c.tenantId, c.runnerId), data: Buffer.from(JSON.stringify(signed)), msgID: `cmd:${c.id}` },
    ]);
  }
}
