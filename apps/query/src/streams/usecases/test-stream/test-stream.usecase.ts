import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { STREAM_TEST_ENTITY_TYPE, type AuditRecord } from '@runtrail/contracts';
import { Clock } from '@runtrail/platform';
import { retry } from '@runtrail/platform/retry';
import { QueryConfig } from '../../../shared/config/query.config';
import { visibleStream } from '../../stream-access';
import { StreamStore, type StreamDefinition } from '../../stream-store';
import { targetFor } from '../../targets/target-for';

/** Attempts of a test delivery, 1 s then 2 s apart: enough for a receiver that is starting, short enough to report. */
const TEST_ATTEMPTS = 3;
const TEST_BACKOFF = { baseMs: 1000, capMs: 2000, jitter: 'none' } as const;

/**
 * The synthetic record a test delivers: outside every filter (its own entity type), id 0 (no
 * stored entry has it) and never stored in the timeline.
 */
export function testRecord(s: StreamDefinition, auth: AuthContext, at: string): AuditRecord {
  return {
    id: 0,
    eventId: randomUUID(),
    tenantId: s.tenantId,
    happenedAt: at,
    action: 'Test',
    version: '1.0',
    entityType: STREAM_TEST_ENTITY_TYPE,
    entityId: s.id,
    entityName: s.name,
    sourceType: auth.principal.type,
    sourceId: auth.principal.id,
    sourceName: auth.principal.name,
    success: true,
    context: {},
    receivedAt: at,
    changes: null,
    correlationId: null,
  };
}

/**
 * Sends one synthetic record to the stream's receiver, beside its ordered deliveries and
 * whatever its state (a paused stream can be tested before it is resumed). Answered 202 at
 * once; a test that fails every attempt shows in the stream's `lastError`.
 */
@Injectable()
export class TestStream {
  private readonly log = new Logger('streams');

  constructor(
    private readonly store: StreamStore,
    private readonly clock: Clock,
    @Inject(QueryConfig) private readonly config: QueryConfig,
  ) {}

  async execute({ auth, streamId }: { auth: AuthContext; streamId: string }): Promise<void> {
    const stream = visibleStream(auth, streamId, await this.store.get(streamId.toLowerCase()));
    const target = targetFor(stream.kind, stream.url, await this.store.secret(stream.id), this.config.STREAM_TIMEOUT_SECONDS * 1000);
    const record = testRecord(stream, auth, this.clock.iso());
    void retry(() => target.send([record]), { policy: TEST_BACKOFF, maxAttempts: TEST_ATTEMPTS, retryAfterMs: (err) => (err as { retryAfterMs?: number }).retryAfterMs })
      .catch(async (err: unknown) => {
        this.log.warn({ streamId: stream.id, err: (err as Error).message }, 'stream test delivery failed');
        const progress = await this.store.progress(stream.id);
        await this.store.setProgress(stream.id, { ...progress, lastError: `test delivery failed: ${(err as Error).message}` });
      })
      .catch(() => undefined)
      .finally(() => target.close?.());
  }
}
