import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { TimelineRecorder } from '../shared/timeline/timeline-recorder';
import type { StreamDefinition } from './stream-store';

/** Creating, pausing, resuming and deleting a stream are timeline entries (CONTRACT §8), never with its secret. */
@Injectable()
export class StreamEvents {
  constructor(private readonly timeline: TimelineRecorder) {}

  async acted(auth: AuthContext, action: 'Create' | 'Pause' | 'Resume' | 'Delete', s: StreamDefinition): Promise<void> {
    await this.timeline.record(auth, {
      tenantId: s.tenantId,
      action,
      entityType: 'Stream',
      entityId: s.id,
      entityName: s.name,
      at: s.updatedAt,
      // The host only: a Slack URL's path is its credential, and the timeline is read by every auditor.
      context: { kind: s.kind, host: new URL(s.url).host, from: s.from, filter: JSON.stringify(s.filter) },
    });
  }
}
