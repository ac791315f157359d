import { Module } from '@nestjs/common';
import { TimelineModule } from '../shared/timeline/timeline.module';
import { ErasureController } from './erasure.controller';
import { ProjectionProgress } from './projection-progress';
import { ErasePersonalData } from './usecases/erase-personal-data/erase-personal-data.usecase';

/** Erasure of personal data from the integrity log's entries (CONTRACT §6, docs/integrity.md#erasure). */
@Module({ imports: [TimelineModule], controllers: [ErasureController], providers: [ErasePersonalData, ProjectionProgress] })
export class ErasureModule {}
