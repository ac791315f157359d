import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RunnerStore, generateRunnerToken, hashApiKey, type AuthContext, type RunnerRecord } from '@runtrail/auth';
import { NatsClient, ensureRunnerConsumer } from '@runtrail/messaging';
import { Clock } from '@runtrail/platform';
import { QueryConfig } from '../../../shared/config/query.config';
import { RunnerEvents } from '../../runner-events';
import type { CreatedRunnerView } from '../../runner-views';
import { tenantOfKey } from '../../tenant-key';

export interface RegisterRunnerCommand {
  auth: AuthContext;
  name: string;
  workspaces: string[];
}

/** Registers a runner in the caller's tenant (docs/api.md#post-v1-runners, ADR 0007); its token is shown only here. */
@Injectable()
export class RegisterRunner {
  constructor(
    private readonly store: RunnerStore,
    private readonly client: NatsClient,
    private readonly events: RunnerEvents,
    @Inject(QueryConfig) private readonly config: QueryConfig,
    private readonly clock: Clock,
  ) {}

  async execute({ auth, name, workspaces }: RegisterRunnerCommand): Promise<CreatedRunnerView> {
    const tenantId = tenantOfKey(auth);
    const token = generateRunnerToken();
    const record: RunnerRecord = { id: randomUUID(), tenantId, name, workspaces, createdAt: this.clock.iso() };
    // The consumer first: a runner that exists can always receive its commands.
    await ensureRunnerConsumer(this.client, this.config.RUNTRAIL_NAMESPACE, tenantId, record.id);
    await this.store.save(record, hashApiKey(token));
    await this.events.registered(auth, record);
    return { id: record.id, name: record.name, workspaces: record.workspaces, token };
  }
}
