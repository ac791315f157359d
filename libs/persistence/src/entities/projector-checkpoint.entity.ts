import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last stream sequence whose effect is committed, per consumer. Written in the
 * same transaction as the projected rows, so a redelivered message at or below it
 * is recognised and skipped.
 */
@Entity({ name: 'projector_checkpoints' })
export class ProjectorCheckpointEntity {
  @PrimaryColumn({ type: 'text' })
  consumer!: string;

  @Column({ name: 'last_seq', type: 'bigint' })
  lastSeq!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
