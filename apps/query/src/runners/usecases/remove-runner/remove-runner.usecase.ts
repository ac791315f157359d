import { Inject, Injectable } from '@nestjs/common';
import { RunnerStore, type AuthContext } from '@runtrail/auth';
import { NatsClient, deleteRunnerConsumer } from '@runtrail/messaging';
import { NotFoundError } from '@runtrail/platform';
import { QueryConfig } from '../../../shared/config/query.config';
import { RunnerEvents } from '../../runner-events';

export interface RemoveRunnerCommand {
  auth: AuthContext;
  runnerId: string;
}

/** Removes a runner: its token is refused from then on, its consumer goes. Another tenant's runner is not found. */
@Injectable()
export class RemoveRunner {
  constructor(
    private readonly store: RunnerStore,
    private readonly client: NatsClient,
    private readonly events: RunnerEvents,
    @Inject(QueryConfig) private readonly config: QueryConfig,
  ) {}

  async execute({ auth, runnerId }: RemoveRunnerCommand): Promise<void> {
    const runner = await this.store.findById(runnerId);
    if (!runner || (auth.tenantId !== null && runner.tenantId !== auth.tenantId)) throw new NotFoundError(`runner ${runnerId} not found`);
    await this.store.remove(runner, undefined);
    await deleteRunnerConsumer(this.client, this.config.RUNTRAIL_NAMESPACE, runner.id);
    await this.events.removed(auth, runner);
  }
}
