import type { AuthContext } from '@runtrail/auth';
import { NatsClient } from '@runtrail/messaging';
import type { TenantReader } from '@runtrail/persistence';
import { ManualClock } from '@runtrail/platform';
import { NATS_URL, deleteNamespace, uniqueName } from '@runtrail/testing';
import pino from 'pino';
import type { OwnAct, TimelineRecorder } from '../../shared/timeline/timeline-recorder';
import { RetentionStore } from '../retention-store';
import { GetRetention } from '../usecases/get-retention/get-retention.usecase';
import { SetRetention } from '../usecases/set-retention/set-retention.usecase';

/** The retention use cases over a real KV bucket, with the timeline and the removal table faked. */
export async function retentionWorld(now = '2026-03-01T10:00:00.000Z') {
  const namespace = uniqueName('retain');
  const client = await NatsClient.connect({ servers: [NATS_URL], name: 'retention-spec' }, pino({ level: 'silent' }));
  const store = await RetentionStore.open(client, namespace, 1);
  const clock = new ManualClock(Date.parse(now));
  const acts: (OwnAct & { by: string })[] = [];
  const timeline = { record: async (auth: AuthContext, act: OwnAct) => void acts.push({ ...act, by: auth.principal.name }) } as unknown as TimelineRecorder;
  const removals = new Map<string, { tenantId: string; upToIndex: number; upToPosition: string; receivedBefore: string; removedAt: string }>();
  const reader = { read: async (tenantId: string) => [removals.get(tenantId)].filter(Boolean) } as unknown as TenantReader;
  const get = new GetRetention(store, reader);
  return {
    store,
    clock,
    acts,
    removals,
    get,
    set: new SetRetention(store, get, timeline, clock),
    async close() {
      await client.close();
      await deleteNamespace(namespace);
    },
  };
}
