import { Injectable } from '@nestjs/common';
import type { AuthContext, RunnerRecord } from '@runtrail/auth';
import { EventPublisher } from '@runtrail/messaging';
import { Clock } from '@runtrail/platform';
import { TimelineRecorder } from '../shared/timeline/timeline-recorder';

/** Every registration and removal is a fact in the stream, like every other, and an entry in the tenant's timeline. */
@Injectable()
export class RunnerEvents {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly timeline: TimelineRecorder,
    private readonly clock: Clock,
  ) {}

  async registered(auth: AuthContext, r: RunnerRecord): Promise<void> {
    await this.fact(auth, 'registered', r);
    await this.timeline.record(auth, { tenantId: r.tenantId, action: 'Create', entityType: 'Runner', entityId: r.id, entityName: r.name, context: { workspaces: r.workspaces.join(',') } });
  }

  async removed(auth: AuthContext, r: RunnerRecord): Promise<void> {
    await this.fact(auth, 'removed', r);
    await this.timeline.record(auth, { tenantId: r.tenantId, action: 'Delete', entityType: 'Runner', entityId: r.id, entityName: r.name });
  }

  private async fact(auth: AuthContext, type: 'registered' | 'removed', r: RunnerRecord): Promise<void> {
    const fact = { type, runner: { id: r.id, name: r.name, workspaces: r.workspaces, createdAt: r.createdAt }, at: this.clock.iso() };
    await this.publisher.publishEvents({ kind: 'runner', tenantId: r.tenantId, submitter: auth.principal, receivedAt: fact.at }, [fact]);
  }
}
