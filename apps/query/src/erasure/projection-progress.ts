import { setTimeout as delay } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { eventStreamName, projectorConsumerName } from '@runtrail/contracts';
import { NatsClient } from '@runtrail/messaging';
import { DependencyUnavailableError } from '@runtrail/platform';
import { DataSource } from 'typeorm';
import { QueryConfig } from '../shared/config/query.config';

/** How long an erasure waits for the projector to take in what the stream already holds. */
const CATCH_UP_MS = 20_000;
const POLL_MS = 100;

/**
 * Where the projector stands against the stream. An erasure must see every entry accepted
 * before it, so it first waits until the projector has committed everything the stream
 * held when the request came (its checkpoint is the high-water mark, and it commits one
 * batch at a time in stream order).
 */
@Injectable()
export class ProjectionProgress {
  constructor(
    private readonly client: NatsClient,
    private readonly dataSource: DataSource,
    @Inject(QueryConfig) private readonly config: QueryConfig,
  ) {}

  async caughtUp(): Promise<void> {
    const ns = this.config.RUNTRAIL_NAMESPACE;
    const target = (await this.client.jsm.streams.info(eventStreamName(ns))).state.last_seq;
    const deadline = Date.now() + CATCH_UP_MS;
    for (;;) {
      const rows: { last_seq: string }[] = await this.dataSource.query(`SELECT last_seq FROM projector_checkpoints WHERE consumer = $1`, [projectorConsumerName(ns)]);
      if (Number(rows[0]?.last_seq ?? 0) >= target) return;
      if (Date.now() > deadline) throw new DependencyUnavailableError('the projector has not yet stored everything accepted before this request; retry shortly');
      await delay(POLL_MS);
    }
  }

  /** The vault entry a stored message's personal values are in (none for a message from before the vault). */
  async vaultOf(seq: number): Promise<string | undefined> {
    const message = await this.client.jsm.streams.getMessage(eventStreamName(this.config.RUNTRAIL_NAMESPACE), { seq });
    return message?.json<{ vault?: string }>().vault;
  }
}
