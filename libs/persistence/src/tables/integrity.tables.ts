import { col, defineTable, type RowOf } from '../schema/define-table';

/*
 * Each tenant's integrity log (docs/integrity.md): an RFC 6962 Merkle tree over the
 * canonical bytes of every entry, appended by the projector in the transaction that
 * writes the entry's rows, and checkpoints the query service signs.
 */

/**
 * The tree's state per tenant: its size, its frontier (the compact range of all leaves,
 * largest subtree first, 32 bytes each) and the stream position of its last entry.
 */
export const integrityLogsTable = defineTable('integrity_logs', {
  tenantId: col.text().primary(),
  size: col.bigint(),
  frontier: col.bytes(),
  lastPosition: col.position(),
  updatedAt: col.timestamp(),
});

/**
 * One row per entry, numbered from 0 in stream order. `position` is the stream position
 * of the rows the entry was made from (`audit_events.id`, `action_run_reports.position`),
 * so a reader's row is found again and a moved one is noticed.
 */
export const integrityEntriesTable = defineTable(
  'integrity_entries',
  {
    tenantId: col.text().primary(),
    index: col.bigint().primary().named('idx'),
    entryId: col.uuid(),
    kind: col.text(),
    ref: col.text(),
    position: col.position(),
    receivedAt: col.timestamp(),
    leafHash: col.bytes(),
  },
  [
    { name: 'uq_integrity_entries_tenant_entry', columns: ['tenantId', 'entryId'], unique: true },
    { name: 'ix_integrity_entries_tenant_ref', columns: ['tenantId', 'ref'] },
  ],
);

/** Every complete subtree of two or more leaves, written once when its last leaf arrives (level 0 is `integrity_entries.leaf_hash`). */
export const integrityNodesTable = defineTable('integrity_nodes', {
  tenantId: col.text().primary(),
  level: col.integer().primary(),
  index: col.bigint().primary().named('idx'),
  hash: col.bytes(),
});

/** Signed checkpoints: the C2SP note as issued, with what it says for lookups. */
export const integrityCheckpointsTable = defineTable(
  'integrity_checkpoints',
  {
    tenantId: col.text().primary(),
    size: col.bigint().primary(),
    rootHash: col.bytes(),
    keyId: col.text(),
    publicKey: col.bytes(),
    note: col.text(),
    issuedAt: col.timestamp(),
  },
  [{ name: 'ix_integrity_checkpoints_tenant_issued', columns: ['tenantId', 'issuedAt'] }],
);

export type IntegrityLogRow = RowOf<typeof integrityLogsTable.columns>;
export type IntegrityEntryRow = RowOf<typeof integrityEntriesTable.columns>;
export type IntegrityNodeRow = RowOf<typeof integrityNodesTable.columns>;
export type IntegrityCheckpointRow = RowOf<typeof integrityCheckpointsTable.columns>;

/**
 * The personal values erased from an entry's rows (`POST /v1/erasure`): for each field
 * path (`entityName`, `context.ip_address`, `hostname`, ...), the keyed digest the entry
 * keeps, so its canonical bytes, and every proof, stay what they were.
 */
export const erasedValuesTable = defineTable('erased_values', {
  tenantId: col.text().primary(),
  position: col.position().primary(),
  path: col.text().primary(),
  digest: col.text(),
});

export type ErasedValueRow = RowOf<typeof erasedValuesTable.columns>;

/**
 * How much of a tenant's log retention removed (CONTRACT §8, docs/retention.md): the entries
 * `[0, upToIndex)`, whose rows all sit at stream positions up to `upToPosition`, are gone from
 * the query tables and the stream; the log keeps their leaf hashes, so earlier checkpoints and
 * proofs of later entries stay valid. Not in the stream, so a rebuild carries it over.
 */
export const integrityRemovalsTable = defineTable('integrity_removals', {
  tenantId: col.text().primary(),
  upToIndex: col.bigint(),
  upToPosition: col.position(),
  /** The retention cutoff of the removal that reached `upToIndex`: everything removed was received before it. */
  receivedBefore: col.timestamp(),
  removedAt: col.timestamp(),
});

export type IntegrityRemovalRow = RowOf<typeof integrityRemovalsTable.columns>;
