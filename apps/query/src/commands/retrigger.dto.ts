import { CorrelationIdField, ReasonField, RunnerIdField } from './command-request-fields';

/** The body of a re-trigger; it may be left out. */
export class RetriggerDto {
  @RunnerIdField()
  runnerId?: string;

  @ReasonField({ required: false })
  reason?: string;

  @CorrelationIdField()
  correlationId?: string;
}
