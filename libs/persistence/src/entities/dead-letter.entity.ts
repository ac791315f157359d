import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A stream message that can never be projected, kept with its position and why. */
@Entity({ name: 'dead_letters' })
export class DeadLetterEntity {
  @PrimaryColumn({ name: 'stream_seq', type: 'bigint' })
  streamSeq!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'bytea' })
  payload!: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
