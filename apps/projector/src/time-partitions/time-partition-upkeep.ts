import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ensureTimePartitions } from '@runtrail/persistence';
import { errorFields } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';

/** Often enough that the next month's partition is there long before it starts (two are kept ahead). */
const EVERY_MS = 24 * 60 * 60 * 1000;

/**
 * Keeps the month partitions of the timeline and run tables ready (docs/adr/0026): at start
 * and daily, the current month and the next two, and a month for any row that fell into a
 * DEFAULT partition (moved into it). Rows never wait for it: an insert without its month's
 * partition lands in DEFAULT. A failure is logged and tried again at the next round.
 */
@Injectable()
export class TimePartitionUpkeep implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.run();
    this.timer = setInterval(() => void this.run(), EVERY_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One round; answers the partitions it made. */
  async run(now = new Date()): Promise<string[]> {
    try {
      // As the owner, who alone may attach partitions; never inside a service role.
      const created = await this.dataSource.transaction((em) => {
        if (!em.queryRunner) throw new Error('a transaction without its query runner');
        return ensureTimePartitions(em.queryRunner, now);
      });
      if (created.length) this.logger.info({ partitions: created }, 'time partitions created');
      return created;
    } catch (err) {
      this.logger.warn({ err: errorFields(err) }, 'time partitions not checked; trying again at the next round');
      return [];
    }
  }
}
