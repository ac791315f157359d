import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { QueryConfig } from '../shared/config/query.config';
import { FireDueSchedules } from './usecases/fire-due-schedules/fire-due-schedules.usecase';

/**
 * Every replica looks for due schedules every SCHEDULE_TICK_SECONDS, from its start (so a
 * schedule that fell due while no replica ran fires at once). A tick that fails is logged and
 * the next one tries again; the service never stops for it. On shutdown the ticker stops
 * before the connections close and waits for a tick in progress.
 */
@Injectable()
export class ScheduleTicker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly fireDue: FireDueSchedules,
    @Inject(QueryConfig) private readonly config: QueryConfig,
    private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule(this.config.SCHEDULE_TICK_SECONDS * 1000));
    }, delayMs);
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
