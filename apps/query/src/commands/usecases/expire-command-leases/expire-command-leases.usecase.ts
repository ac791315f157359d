import { Inject, Injectable } from '@nestjs/common';
import { RunnerStore, type AuthContext, type RunnerRecord } from '@runtrail/auth';
import { Clock, ConflictError } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import { QueryConfig } from '../../../shared/config/query.config';
import { CommandEvents } from '../../command-events';
import { LEASED_STATUSES, expiredLease, type LeaseHolder } from '../../command-lifecycle';
import { CommandStore } from '../../command-store';
import { CommandTransitions } from '../../command-transitions';
import { CommandRepository } from '../../command.repository';

export interface LeaseOutcome {
  /** Commands this replica failed. */
  expired: number;
  /** Commands another replica or a late report changed first. */
  lost: number;
}

/** Commands looked at per runner and status in one round; the rest come the next round. */
const BATCH = 100;

/** The service acts as itself when it fails a command: the fact's submitter and the timeline's source. */
function serviceAuth(tenantId: string): AuthContext {
  return { keyId: 'command-lease', tenantId, principal: { type: 'Application', id: 'command-lease', name: 'runtrail' }, scopes: [] };
}

/**
 * One round of a replica's lease sweep (ADR 0007, docs/api.md#re-trigger-commands): a command
 * its runner took (accepted or running) is failed once COMMAND_LEASE_SECONDS have passed since
 * the runner's last sign of life. Only runners silent for the lease are looked at; their
 * commands are found in the projection (by the runner index) and each is decided on its
 * authoritative state and moved by compare-and-set, so of several replicas, or of a replica
 * and the runner's own late report, exactly one write wins and the other gets 409.
 */
@Injectable()
export class ExpireCommandLeases {
  constructor(
    private readonly runners: RunnerStore,
    private readonly projected: CommandRepository,
    private readonly store: CommandStore,
    private readonly transitions: CommandTransitions,
    private readonly events: CommandEvents,
    @Inject(QueryConfig) private readonly config: QueryConfig,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
  ) {}

  async execute(): Promise<LeaseOutcome> {
    const outcome: LeaseOutcome = { expired: 0, lost: 0 };
    for (const runner of await this.runners.list()) {
      const holder: LeaseHolder = { name: runner.name, lastSeenAt: (await this.runners.presence(runner.id))?.lastSeenAt };
      if (!this.silent(holder)) continue;
      try {
        await this.sweep(runner, holder, outcome);
      } catch (err) {
        // One runner's trouble (Postgres or NATS gone mid-round) must not keep the others' commands held.
        this.logger.warn({ runnerId: runner.id, error: err instanceof Error ? err.message : String(err) }, 'could not sweep the leases of a runner');
      }
    }
    return outcome;
  }

  /** No heartbeat within the lease: only then can one of its commands have expired. */
  private silent(holder: LeaseHolder): boolean {
    return holder.lastSeenAt === undefined || this.clock.now() - Date.parse(holder.lastSeenAt) >= this.config.COMMAND_LEASE_SECONDS * 1000;
  }

  private async sweep(runner: RunnerRecord, holder: LeaseHolder, outcome: LeaseOutcome): Promise<void> {
    for (const status of LEASED_STATUSES) {
      for (const seen of await this.projected.withStatus(runner.tenantId, runner.id, status, BATCH)) {
        const current = await this.store.get(seen.id);
        const error = current && expiredLease(current.value, holder, this.clock.now(), this.config.COMMAND_LEASE_SECONDS);
        if (!current || !error) continue;
        const auth = serviceAuth(current.value.tenantId);
        try {
          const failed = await this.transitions.move(auth, current, 'failed', { error });
          await this.events.leaseExpired(auth, failed.value, error);
          outcome.expired++;
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
          outcome.lost++;
        }
      }
    }
  }
}
