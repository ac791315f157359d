import { Inject, Injectable } from '@nestjs/common';
import { partitionConsumerName, partitionOf, projectorConsumerName } from '@runtrail/contracts';
import { sleep } from '@runtrail/platform/retry';
import { DataSource } from 'typeorm';
import { QueryConfig } from '../../shared/config/query.config';

const POLL_MS = 100;
/** How long one delivery round waits for the projector before giving its batch back for a while. */
const WAIT_MS = 5000;

/** The projector has not yet committed a message a stream holds: the round tries again shortly, with no delivery failure counted. */
export class NotProjectedYet extends Error {
  readonly retryAfterMs = 500;
}

/**
 * Whether the projector has stored a tenant's messages up to a sequence: the checkpoint of
 * the tenant's partition (written in the projector's own transaction) is at or past it.
 */
@Injectable()
export class ProjectionWatch {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(QueryConfig) private readonly config: QueryConfig,
  ) {}

  async reached(tenantId: string, seq: number, signal?: AbortSignal): Promise<void> {
    const consumer = partitionConsumerName(projectorConsumerName(this.config.RUNTRAIL_NAMESPACE), partitionOf(tenantId));
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const rows: { last_seq: string }[] = await this.dataSource.query('SELECT last_seq FROM projector_checkpoints WHERE consumer = $1', [consumer]);
      if (rows.length && Number(rows[0].last_seq) >= seq) return;
      if (Date.now() >= deadline || signal?.aborted) throw new NotProjectedYet(`waiting for the projector to store message ${seq}`);
      await sleep(POLL_MS, signal);
    }
  }
}
