import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RunnerStore, isOnline, type AuthContext, type RunnerRecord } from '@runtrail/auth';
import {
  WAITING_STATUSES,
  commandSubject,
  effectiveStatus,
  eventSubject,
  signCommand,
  type CommandStatus,
  type CommandView,
} from '@runtrail/contracts';
import { EventPublisher, toPublishRequests } from '@runtrail/messaging';
import { ConflictError, NotFoundError } from '@runtrail/platform';
import { ActionRunRepository } from '../action-runs/action-run.repository';
import { QueryConfig } from '../shared/config/query.config';
import { CommandChangedError, CommandStore, type CommandState, type Versioned } from './command-store';
import { TimelineRecorder } from '../shared/timeline/timeline-recorder';
import type { CommandStatusDto, RetriggerDto } from './retrigger.dto';
import { COMMAND_SIGNING_KEYS, type CommandSigningKeys } from './signing-keys';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Which status a runner may report from which (CONTRACT §4 lifecycle). */
const NEXT: Partial<Record<CommandStatus, readonly CommandStatus[]>> = {
  accepted: ['running', 'succeeded', 'failed'],
  running: ['succeeded', 'failed'],
};

export interface RetriggerResult {
  commandId: string;
  runId: string;
  runnerId: string;
  status: CommandStatus;
}

/** Re-trigger commands: request, delivery, the runner's side of the lifecycle (ADR 0007). */
@Injectable()
export class CommandsUseCases {
  constructor(
    private readonly store: CommandStore,
    private readonly runners: RunnerStore,
    private readonly runs: ActionRunRepository,
    private readonly publisher: EventPublisher,
    @Inject(COMMAND_SIGNING_KEYS) private readonly keys: CommandSigningKeys,
    @Inject(QueryConfig) private readonly config: QueryConfig,
    private readonly timeline: TimelineRecorder,
  ) {}

  async retrigger(auth: AuthContext, runId: string, dto: RetriggerDto): Promise<RetriggerResult> {
    const run = await this.runs.findById(auth.tenantId, runId.toLowerCase());
    if (!run) throw new NotFoundError(`action run ${runId} not found`);
    const { runner, online } = await this.chooseRunner(run.tenantId, run.workspace.name, dto.runnerId?.toLowerCase());

    const now = new Date();
    const state: CommandState = {
      id: randomUUID(),
      tenantId: run.tenantId,
      runId: run.id,
      runnerId: runner.id,
      status: online ? 'dispatched' : 'queued',
      reason: dto.reason ?? null,
      requestedBy: { sourceType: auth.principal.type, sourceId: auth.principal.id, sourceName: auth.principal.name },
      requestedAt: now.toISOString(),
      updatedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.config.COMMAND_TTL_SECONDS * 1000).toISOString(),
      newRunId: null,
      exitCode: null,
      workspace: run.workspace.name,
      block: run.block.name,
      action: run.action,
    };
    const created = await this.store.create(state);
    await this.deliver(state);
    await this.recordFact(auth, created);
    await this.timeline.record(auth, {
      tenantId: state.tenantId,
      action: 'Retrigger',
      entityType: 'ActionRun',
      entityId: state.runId,
      entityName: `${state.block}.${state.action}`,
      eventId: state.id,
      at: state.requestedAt,
      context: { command_id: state.id, runner_id: state.runnerId, workspace: state.workspace, ...(state.reason ? { reason: state.reason } : {}) },
    });
    return { commandId: state.id, runId: state.runId, runnerId: state.runnerId, status: state.status };
  }

  async get(auth: AuthContext, id: string): Promise<CommandView> {
    const found = await this.store.get(id.toLowerCase());
    if (!found || (auth.tenantId !== null && found.value.tenantId !== auth.tenantId)) {
      throw new NotFoundError(`command ${id} not found`);
    }
    return view(found.value);
  }

  /**
   * The runner takes a command. Compare-and-set: of two attempts (a redelivery, a
   * reconnect) exactly one gets it; an expired command is never taken.
   */
  async accept(auth: AuthContext, id: string): Promise<CommandView> {
    const current = await this.ownedBy(auth, id);
    if (effectiveStatus(current.value.status, current.value.expiresAt) === 'expired') {
      if (WAITING_STATUSES.includes(current.value.status)) await this.move(auth, current, 'expired').catch(() => undefined);
      throw new ConflictError(`command ${id} expired at ${current.value.expiresAt}`);
    }
    if (!WAITING_STATUSES.includes(current.value.status)) throw new ConflictError(`command ${id} was already ${current.value.status}`);
    return view((await this.move(auth, current, 'accepted')).value);
  }

  async report(auth: AuthContext, id: string, dto: CommandStatusDto): Promise<void> {
    const current = await this.ownedBy(auth, id);
    if (!(NEXT[current.value.status] ?? []).includes(dto.status)) {
      throw new ConflictError(`command ${id} cannot go from ${current.value.status} to ${dto.status}`);
    }
    await this.move(auth, current, dto.status, {
      ...(dto.exitCode !== undefined ? { exitCode: dto.exitCode } : {}),
      ...(dto.newRunId !== undefined ? { newRunId: dto.newRunId.toLowerCase() } : {}),
    });
  }

  /** The named runner, or an online runner serving the workspace, or one to queue for. */
  private async chooseRunner(tenantId: string, workspace: string, runnerId?: string): Promise<{ runner: RunnerRecord; online: boolean }> {
    const serves = (r: RunnerRecord) => r.workspaces.includes('*') || r.workspaces.includes(workspace);
    const candidates = runnerId === undefined
      ? (await this.runners.list()).filter((r) => r.tenantId === tenantId)
      : [await this.runners.findById(runnerId)].filter((r): r is RunnerRecord => r?.tenantId === tenantId);
    if (runnerId !== undefined && candidates.length === 0) throw new NotFoundError(`runner ${runnerId} not found`);
    const serving = candidates.filter(serves);
    if (serving.length === 0) {
      throw new ConflictError(
        runnerId === undefined
          ? `no runner of tenant ${tenantId} serves workspace ${workspace}; register one with POST /v1/runners`
          : `runner ${runnerId} does not serve workspace ${workspace}`,
      );
    }
    const seen = await Promise.all(
      serving.map(async (r) => {
        const p = await this.runners.presence(r.id);
        return { runner: r, at: p ? Date.parse(p.lastSeenAt) : 0, online: isOnline(p) };
      }),
    );
    seen.sort((a, b) => Number(b.online) - Number(a.online) || b.at - a.at || b.runner.createdAt.localeCompare(a.runner.createdAt));
    return { runner: seen[0].runner, online: seen[0].online };
  }

  private async ownedBy(auth: AuthContext, id: string): Promise<Versioned<CommandState>> {
    const found = UUID.test(id) ? await this.store.get(id.toLowerCase()) : undefined;
    if (!found || found.value.tenantId !== auth.tenantId || found.value.runnerId !== auth.runnerId) {
      throw new NotFoundError(`command ${id} not found`);
    }
    return found;
  }

  private async move(
    auth: AuthContext,
    current: Versioned<CommandState>,
    status: CommandStatus,
    changes: Partial<Pick<CommandState, 'newRunId' | 'exitCode'>> = {},
  ): Promise<Versioned<CommandState>> {
    try {
      const next = await this.store.transition(current, status, changes);
      await this.recordFact(auth, next);
      return next;
    } catch (err) {
      if (err instanceof CommandChangedError) throw new ConflictError(err.message);
      throw err;
    }
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
      },
      this.keys.privateKeyPem,
    );
    await this.publisher.publishAll([
      { subject: commandSubject(this.config.RUNTRAIL_NAMESPACE, c.tenantId, c.runnerId), data: Buffer.from(JSON.stringify(signed)), msgID: `cmd:${c.id}` },
    ]);
  }

  /** Every state change is a fact in the stream, with the revision that orders it. */
  private async recordFact(auth: AuthContext, { value: c, revision }: Versioned<CommandState>): Promise<void> {
    const fact = { ...view(c), status: c.status, tenantId: c.tenantId, revision };
    const ns = this.config.RUNTRAIL_NAMESPACE;
    await this.publisher.publishAll(
      toPublishRequests(eventSubject(ns, c.tenantId, 'command'), { kind: 'command', tenantId: c.tenantId, submitter: auth.principal, receivedAt: c.updatedAt }, [fact]),
    );
  }
}

function view(c: CommandState): CommandView {
  return {
    id: c.id,
    runId: c.runId,
    runnerId: c.runnerId,
    status: effectiveStatus(c.status, c.expiresAt),
    reason: c.reason,
    requestedBy: c.requestedBy,
    requestedAt: c.requestedAt,
    updatedAt: c.updatedAt,
    expiresAt: c.expiresAt,
    newRunId: c.newRunId,
    exitCode: c.exitCode,
  };
}
