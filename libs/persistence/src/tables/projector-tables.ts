import { col, defineTable, type RowOf } from '../schema/define-table';

/**
 * The last stream sequence whose effect is committed, per consumer. Written in the same
 * transaction as the projected rows: the high-water mark of what is applied.
 */
export const projectorCheckpointsTable = defineTable('projector_checkpoints', {
  consumer: col.text().primary(),
  lastSeq: col.bigint(),
  updatedAt: col.timestamp(),
});

/**
 * A stream message that could not be projected, kept with its position and why.
 * `replayedAs` is the sequence of its copy published again once the cause was fixed
 * (`npm run dead-letters -- replay`, docs/reliability.md#dead-letters).
 */
export const deadLettersTable = defineTable('dead_letters', {
  streamSeq: col.bigint().primary(),
  subject: col.text(),
  reason: col.text(),
  payload: col.bytes(),
  createdAt: col.timestamp(),
  replayedAs: col.bigint().nullable(),
});

export type DeadLetterRow = RowOf<typeof deadLettersTable.columns>;
