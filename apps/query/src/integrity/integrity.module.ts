import { Module } from '@nestjs/common';
import { IntegritySecrets, NatsClient } from '@runtrail/messaging';
import { QueryConfig } from '../shared/config/query.config';
import { PagingModule } from '../shared/paging/paging.module';
import { CheckpointStore } from './checkpoint-store';
import { CheckpointTicker } from './checkpoint-ticker';
import { CheckpointRepository } from './checkpoint.repository';
import { IntegrityController } from './integrity.controller';
import { LogEntryRepository } from './log-entry.repository';
import { LogSigner } from './log-signer';
import { SignedState } from './signed-state';
import { SignedCheckpoints } from './signed-checkpoints';
import { TreeNodes } from './tree-nodes';
import { GetCheckpoint } from './usecases/get-checkpoint/get-checkpoint.usecase';
import { GetConsistencyProof } from './usecases/get-consistency-proof/get-consistency-proof.usecase';
import { GetInclusionProof } from './usecases/get-inclusion-proof/get-inclusion-proof.usecase';
import { GetPublicKey } from './usecases/get-public-key/get-public-key.usecase';
import { SignCheckpoints } from './usecases/sign-checkpoints/sign-checkpoints.usecase';
import { ExportLog } from './verification/export-log.usecase';
import { LogStretches } from './verification/log-stretch';
import { LogView } from './verification/log-view';
import { RunChecks } from './verification/run-checks';
import { VerifyLog } from './verification/verify-log.usecase';

/**
 * The integrity log's query side (CONTRACT §6, docs/api.md#integrity-log): every replica
 * signs checkpoints of the tenant logs the projector appends to, and serves their keys,
 * checkpoints, entries and proofs.
 */
@Module({
  imports: [PagingModule],
  controllers: [IntegrityController],
  providers: [
    { provide: LogSigner, inject: [QueryConfig, NatsClient], useFactory: (config: QueryConfig, client: NatsClient) => LogSigner.load(config, client) },
    {
      provide: SignedState,
      inject: [QueryConfig, NatsClient],
      useFactory: (config: QueryConfig, client: NatsClient) => IntegritySecrets.open(client, config.RUNTRAIL_NAMESPACE, config.STREAM_REPLICAS),
    },
    CheckpointStore,
    CheckpointRepository,
    LogEntryRepository,
    TreeNodes,
    SignedCheckpoints,
    SignCheckpoints,
    CheckpointTicker,
    GetPublicKey,
    GetCheckpoint,
    GetInclusionProof,
    GetConsistencyProof,
    LogStretches,
    LogView,
    RunChecks,
    VerifyLog,
    ExportLog,
  ],
})
export class IntegrityModule {}
