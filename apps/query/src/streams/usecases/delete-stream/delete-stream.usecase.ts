import { Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { NatsClient } from '@runtrail/messaging';
import { Clock } from '@runtrail/platform';
import { QueryConfig } from '../../../shared/config/query.config';
import { visibleStream } from '../../stream-access';
import { deleteStreamConsumer } from '../../stream-consumer';
import { StreamEvents } from '../../stream-events';
import { StreamStore } from '../../stream-store';

/**
 * Ends a stream: its definition and secret go first (so its deliverer stops and does not make
 * its consumer again), then its consumer; the act is recorded.
 */
@Injectable()
export class DeleteStream {
  constructor(
    private readonly store: StreamStore,
    private readonly events: StreamEvents,
    private readonly client: NatsClient,
    private readonly clock: Clock,
    @Inject(QueryConfig) private readonly config: QueryConfig,
  ) {}

  async execute({ auth, streamId }: { auth: AuthContext; streamId: string }): Promise<void> {
    const stream = visibleStream(auth, streamId, await this.store.get(streamId.toLowerCase()));
    await this.store.remove(stream.id);
    await deleteStreamConsumer(this.client, this.config.RUNTRAIL_NAMESPACE, stream);
    await this.events.acted(auth, 'Delete', { ...stream, updatedAt: this.clock.iso() });
  }
}
