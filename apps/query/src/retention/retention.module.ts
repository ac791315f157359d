import { Module } from '@nestjs/common';
import { NatsClient } from '@runtrail/messaging';
import { QueryConfig } from '../shared/config/query.config';
import { TimelineModule } from '../shared/timeline/timeline.module';
import { StreamsModule } from '../streams/streams.module';
import { RetentionController } from './retention.controller';
import { RetentionRemover } from './retention-remover';
import { RetentionStore } from './retention-store';
import { RetentionTicker } from './retention-ticker';
import { ApplyRetention } from './usecases/apply-retention/apply-retention.usecase';
import { GetRetention } from './usecases/get-retention/get-retention.usecase';
import { SetRetention } from './usecases/set-retention/set-retention.usecase';

/** Retention and legal hold (CONTRACT §8, docs/retention.md). */
@Module({
  imports: [TimelineModule, StreamsModule],
  controllers: [RetentionController],
  providers: [
    {
      provide: RetentionStore,
      inject: [NatsClient, QueryConfig],
      useFactory: (client: NatsClient, config: QueryConfig) => RetentionStore.open(client, config.RUNTRAIL_NAMESPACE, config.STREAM_REPLICAS),
    },
    RetentionRemover,
    RetentionTicker,
    GetRetention,
    SetRetention,
    ApplyRetention,
  ],
})
export class RetentionModule {}
