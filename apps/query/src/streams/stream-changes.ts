import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import type { StreamStatusView } from '@runtrail/contracts';
import { Clock } from '@runtrail/platform';
import { visibleStream } from './stream-access';
import { StreamEvents } from './stream-events';
import { StreamStatus } from './stream-status';
import { StreamStore } from './stream-store';

/**
 * Pausing and resuming: a change that changes something is saved and recorded; pausing a
 * paused stream (or resuming an active one) answers the stream as it is. The deliverer
 * notices within a second (docs/streams.md#delivery).
 */
@Injectable()
export class StreamChanges {
  constructor(
    private readonly store: StreamStore,
    private readonly events: StreamEvents,
    private readonly status: StreamStatus,
    private readonly clock: Clock,
  ) {}

  async setPaused(auth: AuthContext, streamId: string, paused: boolean): Promise<StreamStatusView> {
    let stream = visibleStream(auth, streamId, await this.store.get(streamId.toLowerCase()));
    if (stream.paused !== paused) {
      stream = { ...stream, paused, updatedAt: this.clock.iso() };
      await this.store.save(stream);
      await this.events.acted(auth, paused ? 'Pause' : 'Resume', stream);
    }
    return this.status.of(stream);
  }
}
