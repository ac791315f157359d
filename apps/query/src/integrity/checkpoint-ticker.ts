import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Metrics } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import { QueryConfig } from '../shared/config/query.config';
import { IntervalTicker } from '../shared/ticking/interval-ticker';
import { LogSigner } from './log-signer';
import { SignCheckpoints } from './usecases/sign-checkpoints/sign-checkpoints.usecase';

/**
 * Every replica signs the logs that grew every CHECKPOINT_INTERVAL_SECONDS, from its start,
 * and logs the public key so the operator can publish it. Replicas that sign the same
 * size store one checkpoint. A round that fails is logged and the next one tries again.
 */
@Injectable()
export class CheckpointTicker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly ticker: IntervalTicker;
  private readonly signed;

  constructor(
    private readonly signCheckpoints: SignCheckpoints,
    private readonly signer: LogSigner,
    @Inject(QueryConfig) config: QueryConfig,
    private readonly logger: PinoLogger,
    metrics: Metrics,
  ) {
    this.signed = metrics.counter('runtrail_checkpoints_signed_total', 'Checkpoints of tenant logs signed and stored by this replica');
    this.ticker = new IntervalTicker(() => this.round(), () => config.CHECKPOINT_INTERVAL_SECONDS * 1000);
  }

  onApplicationBootstrap(): void {
    const key = { publicKey: this.signer.publicKey.toString('base64'), algorithm: 'ed25519', source: this.signer.source };
    // The first start of a key says so at warn, so it is seen at every log level that shows
    // anything: the operator publishes it for customers. Later starts name it at info.
    if (this.signer.firstUse) {
      this.logger.warn(key, 'a new Ed25519 key signs integrity checkpoints from now on: publish its public key (raw, base64); GET /v1/integrity/public-key gives each tenant its verifier key');
    } else {
      this.logger.info(key, 'integrity checkpoints are signed with this Ed25519 public key (raw, base64); GET /v1/integrity/public-key gives each tenant its verifier key');
    }
    this.ticker.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.ticker.stop();
  }

  private async round(): Promise<void> {
    try {
      const added = await this.signCheckpoints.execute();
      this.signed.inc(added.length);
      if (added.length) this.logger.debug({ checkpoints: added.length }, 'checkpoints signed');
    } catch (err) {
      this.logger.warn({ error: err instanceof Error ? err.message : String(err) }, 'could not sign checkpoints; trying again next round');
    }
  }
}
