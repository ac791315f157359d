import { setTimeout as delay } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { eventStreamName, projectorConsumerName } from '@runtrail/contracts';
import { NatsClient, partitionEnds, partitionsBehind } from '@runtrail/messaging';
import { DependencyUnavailableError } from '@runtrail/platform';
import { DataSource } from 'typeorm';
import { QueryConfig } from '../shared/config/query.config';

/** How long an erasure waits for the projector to take in what the stream already holds. */
const CATCH_UP_MS = 20_000;
const POLL_MS = 100;

/**
 * Where the projector stands against the stream. An erasure must see every entry accepted
 * before it, so it first waits until the projector has committed everything the stream
 * held when the request came: every partition's checkpoint at the partition's last fact
 * (each partition is projected one batch at a time, in stream order; ADR 0019).
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
    const ends = await partitionEnds(this.client, ns);
    const deadline = Date.now() + CATCH_UP_MS;
    for (;;) {
      const rows: { consumer: string; last_seq: string }[] = await this.dataSource.query(`SELECT consumer, last_seq FROM projector_checkpoints`);
      const checkpoints = new Map(rows.map((r) => [r.consumer, Number(r.last_seq)]));
      if (partitionsBehind(ends, checkpoints, projectorConsumerName(ns)).length === 0) return;
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
