import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Every report of every run, once, keyed by its stream position
 * (`stream_seq * 1024 + index`). Folding a run's reports in position order gives the
 * same record whatever order they arrived in, or how often.
 */
@Entity({ name: 'action_run_reports' })
export class ActionRunReportEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @PrimaryColumn({ type: 'bigint' })
  position!: string;

  @Column({ type: 'jsonb' })
  report!: Record<string, unknown>;

  @Column({ name: 'submitted_by', type: 'jsonb' })
  submittedBy!: { type: string; id: string; name: string };

  @Column({ name: 'received_at', type: 'timestamptz', precision: 3 })
  receivedAt!: Date;
}
