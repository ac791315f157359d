import type { QueryRunner } from 'typeorm';
import { dropPartitionsBefore, type DroppedPartition, type SqlRows } from '../partitions/time-partitions';
import { PAUSE_PROJECTION_SQL } from '../rebuild/rebuilt-tables';
import { POSITIONS_PER_MESSAGE } from '../schema/stream-position';
import { asProjector } from '../tenancy/tenant-reader';

/**
 * Where retention cuts one tenant's log (docs/retention.md#where-the-cut-falls): the entries
 * `[fromIndex, upToIndex)` go, and with them every row at a stream position in
 * `(afterPosition, upToPosition]`.
 */
export interface LogCut {
  tenantId: string;
  /** The retention cutoff: only entries received before it may go. */
  receivedBefore: Date;
  /** Where the removed prefix ended before (0: nothing removed yet). */
  fromIndex: number;
  upToIndex: number;
  afterPosition: string;
  upToPosition: string;
  /** The latest `receivedAt` of a removed entry (null: none removed), bounding the deletes to the partitions concerned. */
  lastReceivedAt: string | null;
  /**
   * The earliest `receivedAt` of an entry kept (the cutoff when none is kept): every row of
   * the tenant received before it is a removed entry's, so a partition ending by then holds
   * nothing the tenant keeps.
   */
  keptFrom: Date;
}

/** What a removal took from one tenant. */
export interface LogRemoval {
  cut: LogCut;
  /** Log entries removed: `upToIndex - fromIndex`. */
  entries: number;
}

const E = 'integrity_entries';

/**
 * Finds the longest prefix of the tenant's log, from where the last removal stopped, that
 * retention may remove: entries received before `receivedBefore`, in index order, but cut only
 * where
 * - a stream message ends (a message holds up to 1000 entries; it goes from the stream whole
 *   or not at all),
 * - no run has reports on both sides (a run's record is the fold of all its reports), and
 * - no entry kept lies at a stream position below a removed one (an entry appended out of
 *   order), so that "positions up to P" and "entries below index k" are the same set.
 * Each rule can only move the cut earlier, so they are applied until none moves it.
 * Reads as the projector role, in the caller's transaction.
 */
export function planLogCut(runner: SqlRows, tenantId: string, receivedBefore: Date): Promise<LogCut> {
  return asProjector(runner, async () => {
    const one = async <R>(sql: string, params: unknown[]): Promise<R | undefined> => ((await runner.query(sql, [tenantId, ...params])) as R[])[0];
    const removed = await one<{ up_to_index: string; up_to_position: string }>(`SELECT up_to_index, up_to_position FROM integrity_removals WHERE tenant_id = $1`, []);
    const fromIndex = Number(removed?.up_to_index ?? 0);
    const afterPosition = removed?.up_to_position ?? '0';
    const log = await one<{ size: string }>(`SELECT size FROM integrity_logs WHERE tenant_id = $1`, []);
    const size = Number(log?.size ?? 0);
    const firstYoung = await one<{ idx: string }>(`SELECT idx FROM ${E} WHERE tenant_id = $1 AND idx >= $2 AND received_at >= $3 ORDER BY idx LIMIT 1`, [fromIndex, receivedBefore.toISOString()]);
    let k = firstYoung ? Number(firstYoung.idx) : size;
    const earliestIndexIn = async (condition: string, params: unknown[]): Promise<number | null> => {
      const row = await one<{ idx: string | null }>(`SELECT min(idx) AS idx FROM ${E} e WHERE tenant_id = $1 AND idx >= $2 AND idx < $3 AND ${condition}`, [fromIndex, k, ...params]);
      return row?.idx == null ? null : Number(row.idx);
    };
    for (;;) {
      if (k <= fromIndex) return { tenantId, receivedBefore, fromIndex, upToIndex: fromIndex, afterPosition, upToPosition: afterPosition, lastReceivedAt: null, keptFrom: await keptFrom(fromIndex) };
      // The entries of entry k's message that lie before it.
      if (k < size) {
        const next = await one<{ position: string }>(`SELECT position FROM ${E} WHERE tenant_id = $1 AND idx = $2`, [k]);
        const messageStart = (BigInt(next?.position ?? '0') / BigInt(POSITIONS_PER_MESSAGE)) * BigInt(POSITIONS_PER_MESSAGE);
        const sameMessage = await earliestIndexIn(`position >= $4`, [messageStart.toString()]);
        if (sameMessage !== null) {
          k = sameMessage;
          continue;
        }
      }
      const splitRun = await earliestIndexIn(`kind = 'action-run-report' AND EXISTS (SELECT 1 FROM ${E} f WHERE f.tenant_id = e.tenant_id AND f.ref = e.ref AND f.idx >= $3)`, []);
      if (splitRun !== null) {
        k = splitRun;
        continue;
      }
      const gone = (await one<{ position: string; received_at: Date }>(`SELECT max(position) AS position, max(received_at) AS received_at FROM ${E} WHERE tenant_id = $1 AND idx >= $2 AND idx < $3`, [fromIndex, k])) as { position: string; received_at: Date };
      const kept = await one<{ position: string | null; received_at: Date | null }>(`SELECT min(position) AS position, min(received_at) AS received_at FROM ${E} WHERE tenant_id = $1 AND idx >= $2`, [k]);
      if (kept?.position != null && BigInt(kept.position) <= BigInt(gone.position)) {
        k = (await earliestIndexIn(`position >= $4`, [kept.position])) ?? fromIndex;
        continue;
      }
      return {
        tenantId,
        receivedBefore,
        fromIndex,
        upToIndex: k,
        afterPosition,
        upToPosition: String(gone.position),
        lastReceivedAt: new Date(gone.received_at).toISOString(),
        keptFrom: kept?.received_at == null ? receivedBefore : new Date(kept.received_at),
      };
    }

    async function keptFrom(index: number): Promise<Date> {
      const kept = await one<{ received_at: Date | null }>(`SELECT min(received_at) AS received_at FROM ${E} WHERE tenant_id = $1 AND idx >= $2`, [index]);
      return kept?.received_at == null ? receivedBefore : new Date(kept.received_at);
    }
  });
}

/** One round of retention over the tenants given, with what it dropped whole. */
export interface RetentionRound {
  /** Every tenant's cut, those that removed nothing new included. */
  cuts: LogCut[];
  removals: LogRemoval[];
  droppedPartitions: DroppedPartition[];
}

/**
 * Removes each tenant's log prefix that retention lets go (`cutoffs`: tenant → "received
 * before"), in the caller's transaction, as the tables' owner (dropping partitions needs it):
 *
 * 1. holds off the projector for the transaction (it waits between batches), so no row of
 *    these tenants arrives or changes meanwhile;
 * 2. plans each tenant's cut (`planLogCut`);
 * 3. drops every month partition that holds only removed rows of any tenant
 *    (`dropPartitionsBefore`, ADR 0026): no DELETE for those rows at all;
 * 4. calls `beforeRemoval` with each tenant's cut while its rows are still there (what a
 *    stream had not delivered is counted then), and deletes the removed rows that are left,
 *    tenant by tenant, by stream position (pruned to the partitions up to the last removed
 *    entry's month), and the digests kept for their erased values;
 * 5. records each tenant's new cut in `integrity_removals`.
 *
 * The log keeps its entries (leaf hashes, ids, positions) and subtrees, and `audit_event_keys`
 * keeps the removed events' keys: a removed event re-sent later is still a duplicate, and is
 * stored neither as a row nor as an entry.
 */
export async function removeLogPrefixes(
  runner: QueryRunner,
  cutoffs: ReadonlyMap<string, Date>,
  now: Date,
  beforeRemoval: (cut: LogCut) => Promise<void> = async () => undefined,
): Promise<RetentionRound> {
  await runner.query(PAUSE_PROJECTION_SQL);
  const cuts: LogCut[] = [];
  for (const [tenantId, before] of cutoffs) cuts.push(await planLogCut(runner, tenantId, before));
  const removing = cuts.filter((c) => c.upToIndex > c.fromIndex);
  for (const cut of removing) await beforeRemoval(cut);
  const droppedPartitions = await dropPartitionsBefore(runner, new Map(cuts.map((c) => [c.tenantId, c.keptFrom])));
  for (const cut of removing) await removeRows(runner, cut, now);
  return { cuts, removals: removing.map((cut) => ({ cut, entries: cut.upToIndex - cut.fromIndex })), droppedPartitions };
}

/** The time-partitioned rows of the positions `($2, $3]`, received by `$4` (which bounds the partitions each DELETE visits). */
const REMOVE_ROWS_SQL = [
  `DELETE FROM audit_events WHERE tenant_id = $1 AND id > $2 AND id <= $3 AND received_at <= $4`,
  `DELETE FROM action_run_reports WHERE tenant_id = $1 AND position > $2 AND position <= $3 AND received_at <= $4`,
  `DELETE FROM action_runs WHERE tenant_id = $1 AND first_position > $2 AND first_position <= $3 AND received_at <= $4`,
];

async function removeRows(runner: QueryRunner, cut: LogCut, now: Date): Promise<void> {
  await asProjector(runner, async () => {
    // The run aggregates follow the deleted runs by their triggers.
    for (const sql of REMOVE_ROWS_SQL) await runner.query(sql, [cut.tenantId, cut.afterPosition, cut.upToPosition, cut.lastReceivedAt]);
    await runner.query(`DELETE FROM erased_values WHERE tenant_id = $1 AND position > $2 AND position <= $3`, [cut.tenantId, cut.afterPosition, cut.upToPosition]);
    await runner.query(
      `INSERT INTO integrity_removals (tenant_id, up_to_index, up_to_position, received_before, removed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id) DO UPDATE SET up_to_index = EXCLUDED.up_to_index, up_to_position = EXCLUDED.up_to_position,
         received_before = EXCLUDED.received_before, removed_at = EXCLUDED.removed_at`,
      [cut.tenantId, cut.upToIndex, cut.upToPosition, cut.receivedBefore.toISOString(), now.toISOString()],
    );
  });
}
