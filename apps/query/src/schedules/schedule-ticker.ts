import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { QueryConfig } from '../shared/config/query.config';
import { IntervalTicker } from '../shared/ticking/interval-ticker';
import { FireDueSchedules } from './usecases/fire-due-schedules/fire-due-schedules.usecase';

/**
 * Every replica looks for due schedules every SCHEDULE_TICK_SECONDS, from its start (so a
 * schedule that fell due while no replica ran fires at once). A tick that fails is logged and
 * the next one tries again; the service never stops for it. On shutdown the ticker stops
 * before the connections close and waits for a tick in progress.
 */
@Injectable()
export class ScheduleTicker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly ticker: IntervalTicker;

  constructor(
    private readonly fireDue: FireDueSchedules,
    @Inject(QueryConfig) config: QueryConfig,
    private readonly logger: PinoLogger,
  ) {
    this.ticker = new IntervalTicker(() => this.tick(), () => config.SCHEDULE_TICK_SECONDS * 1000);
  }

  onApplicationBootstrap(): void {
    this.ticker.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.ticker.stop();
  }

  private async tick(): Promise<void> {
    try {
      const { fired, failed } = await this.fireDue.execute();
      if (fired || failed) this.logger.info({ fired, failed }, 'schedules fired');
    } catch (err) {
      this.logger.warn({ error: err instanceof Error ? err.message : String(err) }, 'could not look for due schedules; trying again next tick');
    }
  }
}
