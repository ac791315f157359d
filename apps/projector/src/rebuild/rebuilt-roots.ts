import { EMPTY_FRONTIER, appendLeaves, frontierRoot, type Frontier } from '@runtrail/merkle';
import { integrityCheckpointsTable, integrityEntriesTable, schemaIdentifier } from '@runtrail/persistence';
import type { Client } from 'pg';

/** A signed checkpoint the rebuilt log does not reproduce. */
export interface RootMismatch {
  tenantId: string;
  size: number;
  /** Leaves the rebuilt log has (fewer than `size` when it is shorter). */
  rebuiltSize: number;
}

const PAGE = 10_000;

/**
 * Checks a rebuilt integrity log against the checkpoints the live one was signed at: the
 * rebuilt tree must have the signed root at every signed size. It walks each tenant's
 * leaves once, keeping the frontier, so a later call (the checkpoints signed while the
 * rebuild caught up) continues where the last one stopped.
 */
export class RebuiltRoots {
  private readonly reached = new Map<string, Frontier>();
  /** Per tenant, the largest signed size checked so far. */
  private readonly checkedUpTo = new Map<string, number>();
  checked = 0;

  constructor(
    private readonly db: Client,
    private readonly schema: string,
  ) {}

  /**
   * `final`: the rebuild holds everything the live log can hold, so a checkpoint larger than
   * the rebuilt log is a mismatch; before that, such a checkpoint waits for the final call.
   */
  async check(final: boolean): Promise<RootMismatch[]> {
    const mismatches: RootMismatch[] = [];
    const { rows } = await this.db.query<{ tenant_id: string; size: string; root_hash: Buffer }>(
      `SELECT tenant_id, size, root_hash FROM public.${integrityCheckpointsTable.name} ORDER BY tenant_id, size`,
    );
    for (const c of rows) {
      const size = Number(c.size);
      if (size <= (this.checkedUpTo.get(c.tenant_id) ?? -1)) continue;
      const frontier = await this.grow(c.tenant_id, this.reached.get(c.tenant_id) ?? EMPTY_FRONTIER, size);
      this.reached.set(c.tenant_id, frontier);
      if (frontier.size < size && !final) continue;
      this.checkedUpTo.set(c.tenant_id, size);
      this.checked++;
      if (frontier.size !== size || !frontierRoot(frontier).equals(c.root_hash)) {
        mismatches.push({ tenantId: c.tenant_id, size, rebuiltSize: frontier.size });
      }
    }
    return mismatches;
  }

  /** Appends the tenant's rebuilt leaves from the frontier's size up to `size` (fewer if the log is shorter). */
  private async grow(tenantId: string, frontier: Frontier, size: number): Promise<Frontier> {
    while (frontier.size < size) {
      const { rows } = await this.db.query<{ leaf_hash: Buffer }>(
        `SELECT leaf_hash FROM ${schemaIdentifier(this.schema)}.${integrityEntriesTable.name}
          WHERE tenant_id = $1 AND idx >= $2 AND idx < $3 ORDER BY idx`,
        [tenantId, frontier.size, Math.min(size, frontier.size + PAGE)],
      );
      if (rows.length === 0) break;
      frontier = appendLeaves(frontier, rows.map((r) => r.leaf_hash)).frontier;
    }
    return frontier;
  }
}
