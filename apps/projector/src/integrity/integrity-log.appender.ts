import { Injectable } from '@nestjs/common';
import type { EntryKind } from '@runtrail/integrity';
import { EMPTY_FRONTIER, appendLeaves, frontierFromBytes, frontierToBytes, type Frontier, type Hash } from '@runtrail/merkle';
import {
  LOCK_INTEGRITY_LOGS_SQL,
  LOGGED_ENTRIES_SQL,
  insertIntegrityEntries,
  insertIntegrityNodes,
  integrityLogsTable,
  saveIntegrityLogs,
  type IntegrityEntryRow,
  type IntegrityLogRow,
  type IntegrityNodeRow,
  writeRows,
} from '@runtrail/persistence';
import { Metrics } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import type { EntityManager } from 'typeorm';

/** One entry the batch brings, with the leaf hash of its canonical bytes. */
export interface LogCandidate {
  tenantId: string;
  /** The stream position of the rows it was made from. */
  position: string;
  entryId: string;
  kind: EntryKind;
  ref: string;
  receivedAt: string;
  /** RFC 6962 leaf hash of the entry's canonical bytes: hashed while the rows are made, outside the transaction. */
  leaf: Hash;
}

/**
 * Appends a batch's entries to their tenants' logs, in the transaction that writes their
 * rows: so a row exists exactly when its entry does. Entries go in stream order; one the
 * log already holds (a redelivery, an event re-sent after the broker's duplicate window)
 * is not added again. Each tenant's frontier is read and locked once per batch, so an
 * append costs O(log n) whatever the size of the log.
 */
@Injectable()
export class IntegrityLogAppender {
  private readonly outOfOrder;

  constructor(
    private readonly logger: PinoLogger,
    metrics: Metrics,
  ) {
    this.outOfOrder = metrics.counter('runtrail_integrity_out_of_order_total', 'Entries appended after an entry with a later stream position');
  }

  async append(em: EntityManager, candidates: LogCandidate[]): Promise<number> {
    try {
      return await this.appendAll(em, candidates);
    } catch (err) {
      // Never "refused data" (which would dead-letter the batch and project it without its
      // entries): a log that cannot take an entry stops the projector, loudly, until fixed.
      throw new IntegrityLogError(err);
    }
  }

  private async appendAll(em: EntityManager, candidates: LogCandidate[]): Promise<number> {
    const fresh = await this.unlogged(em, candidates);
    if (fresh.length === 0) return 0;
    const byTenant = new Map<string, LogCandidate[]>();
    for (const c of fresh) {
      const list = byTenant.get(c.tenantId);
      if (list) list.push(c);
      else byTenant.set(c.tenantId, [c]);
    }

    const logs = new Map<string, { frontier: Frontier; lastPosition: bigint }>();
    for (const raw of await em.query(LOCK_INTEGRITY_LOGS_SQL, [[...byTenant.keys()]])) {
      const row = integrityLogsTable.decode(raw as Record<string, unknown>);
      logs.set(row.tenantId, { frontier: frontierFromBytes(row.size, row.frontier), lastPosition: BigInt(row.lastPosition) });
    }

    const now = new Date().toISOString();
    const entries: IntegrityEntryRow[] = [];
    const nodes: IntegrityNodeRow[] = [];
    const saved: IntegrityLogRow[] = [];
    for (const [tenantId, list] of byTenant) {
      // A batch brings its entries in stream order already; sort only when it does not.
      if (!list.every((c, i) => i === 0 || comparePositions(list[i - 1]?.position as string, c.position) < 0)) list.sort((a, b) => comparePositions(a.position, b.position));
      const log = logs.get(tenantId);
      const last = log?.lastPosition;
      if (last !== undefined && BigInt(list[0].position) < last) {
        // Only a redelivery overtaken by later messages can do this (the consumer allows
        // one batch in flight to prevent it). The entry is kept, numbered where it lands.
        this.outOfOrder.inc(list.filter((c) => BigInt(c.position) < last).length);
        this.logger.warn({ tenantId, position: list[0].position, lastPosition: last.toString() }, 'integrity log entry appended out of stream order');
      }
      const before = log?.frontier ?? EMPTY_FRONTIER;
      const leaves = list.map((c) => c.leaf);
      const { frontier, completed } = appendLeaves(before, leaves);
      list.forEach((c, i) =>
        entries.push({
          tenantId,
          index: before.size + i,
          entryId: c.entryId,
          kind: c.kind,
          ref: c.ref,
          position: c.position,
          receivedAt: c.receivedAt,
          leafHash: leaves[i] as Hash,
        }),
      );
      for (const { node, hash } of completed) nodes.push({ tenantId, level: node.level, index: node.index, hash });
      const newest = BigInt((list.at(-1) as LogCandidate).position);
      const lastPosition = last !== undefined && last > newest ? last : newest;
      saved.push({ tenantId, size: frontier.size, frontier: frontierToBytes(frontier), lastPosition: lastPosition.toString(), updatedAt: now });
    }
    await writeRows(em, insertIntegrityEntries, entries);
    await writeRows(em, insertIntegrityNodes, nodes);
    await em.query(saveIntegrityLogs.text, saveIntegrityLogs.params(saved));
    return entries.length;
  }

  /** The candidates the log does not hold yet, each entry once (its earliest position). */
  private async unlogged(em: EntityManager, candidates: LogCandidate[]): Promise<LogCandidate[]> {
    const earliest = new Map<string, LogCandidate>();
    for (const c of candidates) {
      const key = `${c.tenantId}/${c.entryId}`;
      const seen = earliest.get(key);
      if (!seen || BigInt(c.position) < BigInt(seen.position)) earliest.set(key, c);
    }
    if (earliest.size === 0) return [];
    const list = [...earliest.values()];
    const logged = new Set<string>();
    for (const raw of await em.query(LOGGED_ENTRIES_SQL, [list.map((c) => c.tenantId), list.map((c) => c.entryId)])) {
      const row = raw as { tenantId: string; entryId: string };
      logged.add(`${row.tenantId}/${row.entryId}`);
    }
    return list.filter((c) => !logged.has(`${c.tenantId}/${c.entryId}`));
  }
}

/** The log refused an append; carries no SQLSTATE, so the batch is retried rather than dead-lettered. */
export class IntegrityLogError extends Error {
  constructor(cause: unknown) {
    super(`the integrity log could not append this batch: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Orders decimal positions without making BigInts: a longer one is larger. */
function comparePositions(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
