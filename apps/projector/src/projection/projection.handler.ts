import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { JetStreamContext, type ConsumedMessage } from '@runtrail/messaging';
import { ProjectBatchUseCase } from './project-batch.usecase';
import { PROJECTION_BATCHES } from './projection-names';

/**
 * The projector's one message handler. A batch is the unit of exactly-once effect (one
 * Postgres transaction with the checkpoint), so it arrives whole; resolving lets the
 * transport ack it, throwing (Postgres down) makes the transport hold and retry it.
 */
@Controller()
export class ProjectionHandler {
  constructor(private readonly projectBatch: ProjectBatchUseCase) {}

  @EventPattern(PROJECTION_BATCHES)
  async project(@Payload() batch: ConsumedMessage[], @Ctx() context: JetStreamContext): Promise<void> {
    // The partition's consumer names its checkpoint row.
    await this.projectBatch.execute(batch, context.getConsumer());
  }
}
