import { Module } from '@nestjs/common';
import { NatsClient } from '@runtrail/messaging';
import { QueryConfig } from '../shared/config/query.config';
import { TimelineModule } from '../shared/timeline/timeline.module';
import { ProjectionWatch } from './delivery/projection-watch';
import { StreamDelivery } from './delivery/stream-delivery';
import { StreamMetrics } from './delivery/stream-metrics';
import { StreamChanges } from './stream-changes';
import { StreamEvents } from './stream-events';
import { StreamMisses } from './stream-misses';
import { StreamStatus } from './stream-status';
import { StreamStore } from './stream-store';
import { StreamsController } from './streams.controller';
import { TargetAllowList } from './targets/target-allow-list';
import { CreateStream } from './usecases/create-stream/create-stream.usecase';
import { DeleteStream } from './usecases/delete-stream/delete-stream.usecase';
import { ListStreams } from './usecases/list-streams/list-streams.usecase';
import { PauseStream } from './usecases/pause-stream/pause-stream.usecase';
import { ResumeStream } from './usecases/resume-stream/resume-stream.usecase';
import { TestStream } from './usecases/test-stream/test-stream.usecase';

/** Streams out (docs/streams.md, CONTRACT §8): timeline entries delivered to SIEMs, log platforms and chat, by the replica holding the delivery lease. */
@Module({
  imports: [TimelineModule],
  controllers: [StreamsController],
  providers: [
    {
      provide: StreamStore,
      inject: [NatsClient, QueryConfig],
      useFactory: (client: NatsClient, config: QueryConfig) => StreamStore.open(client, config.RUNTRAIL_NAMESPACE, config.STREAM_REPLICAS),
    },
    { provide: TargetAllowList, inject: [QueryConfig], useFactory: (config: QueryConfig) => new TargetAllowList(config.STREAM_TARGET_ALLOW) },
    StreamEvents,
    StreamMisses,
    StreamStatus,
    StreamChanges,
    StreamMetrics,
    ProjectionWatch,
    StreamDelivery,
    CreateStream,
    ListStreams,
    PauseStream,
    ResumeStream,
    TestStream,
    DeleteStream,
  ],
  exports: [StreamMisses],
})
export class StreamsModule {}
