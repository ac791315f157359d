import { Module } from '@nestjs/common';
import { TimelineRecorder } from './timeline-recorder';

/** The service's own administrative acts, recorded in the tenant's audit timeline. */
@Module({ providers: [TimelineRecorder], exports: [TimelineRecorder] })
export class TimelineModule {}
