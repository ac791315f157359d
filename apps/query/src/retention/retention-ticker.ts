import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { QueryConfig } from '../shared/config/query.config';
import { IntervalTicker } from '../shared/ticking/interval-ticker';
import { RetentionRemover } from './retention-remover';

/**
 * Every RETENTION_INTERVAL_SECONDS, from its start, each replica removes what every policy
 * lets go. Replicas take turns (the removal holds the projection lock for its transaction),
 * and the second finds nothing left to remove. A round that fails is logged and the next one
 * tries again.
 */
@Injectable()
export class RetentionTicker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly ticker: IntervalTicker;

  constructor(
    private readonly remover: RetentionRemover,
    @Inject(QueryConfig) config: QueryConfig,
    private readonly logger: PinoLogger,
  ) {
    this.ticker = new IntervalTicker(() => this.round(), () => config.RETENTION_INTERVAL_SECONDS * 1000);
  }

  onApplicationBootstrap(): void {
    this.ticker.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.ticker.stop();
  }

  private async round(): Promise<void> {
    try {
      const removed = (await this.remover.remove()).filter((o) => o.removed > 0);
      if (removed.length) this.logger.info({ removed }, 'retention removed entries');
    } catch (err) {
      this.logger.warn({ error: err instanceof Error ? err.message : String(err) }, 'retention round failed; trying again next round');
    }
  }
}
