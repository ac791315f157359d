import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Metrics } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import { QueryConfig } from '../shared/config/query.config';
import { IntervalTicker } from '../shared/ticking/interval-ticker';
import { ExpireCommandLeases } from './usecases/expire-command-leases/expire-command-leases.usecase';

/**
 * Every replica sweeps the leases of taken commands four times per COMMAND_LEASE_SECONDS,
 * from its start, so a command is failed at most a quarter of the lease after it expired.
 * Replicas sweeping together fail each command once (compare-and-set). A round that fails
 * is logged and the next one tries again; on shutdown the ticker stops before the
 * connections close and waits for a round in progress.
 */
@Injectable()
export class CommandLeaseTicker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly ticker: IntervalTicker;
  private readonly expiries;

  constructor(
    private readonly expireLeases: ExpireCommandLeases,
    @Inject(QueryConfig) config: QueryConfig,
    private readonly logger: PinoLogger,
    metrics: Metrics,
  ) {
    this.expiries = metrics.counter('runtrail_command_lease_expiries_total', 'Taken commands this replica failed because their runner stopped heartbeating');
    this.ticker = new IntervalTicker(() => this.round(), () => (config.COMMAND_LEASE_SECONDS * 1000) / 4);
  }

  onApplicationBootstrap(): void {
    this.ticker.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.ticker.stop();
  }

  private async round(): Promise<void> {
    try {
      const { expired, lost } = await this.expireLeases.execute();
      this.expiries.inc(expired);
      if (expired) this.logger.warn({ expired, lost }, 'commands failed: their runner stopped heartbeating');
    } catch (err) {
      this.logger.warn({ error: err instanceof Error ? err.message : String(err) }, 'could not sweep command leases; trying again next round');
    }
  }
}
