import { Injectable } from '@nestjs/common';
import { SqlWhere, TenantReader, integrityCheckpointsTable, type IntegrityCheckpointRow } from '@runtrail/persistence';
import type { CursorPosition } from '../shared/paging/cursor-codec';
import type { KeysetSource } from '../shared/paging/keyset-pages';
import type { CheckpointFilter } from './integrity-filters';
import type { CheckpointView } from './integrity-views';
import { definedTenant } from './log-tenant';

const t = integrityCheckpointsTable;

/** A key that signed some of a log's checkpoints, under the origin it signed them as. */
export interface UsedKey {
  origin: string;
  publicKey: Buffer;
}

/** The origin is the note's first line: what was signed, even if the installation was renamed since. */
function checkpointView(row: IntegrityCheckpointRow): CheckpointView {
  return { origin: row.note.slice(0, row.note.indexOf('\n')), size: row.size, rootHash: row.rootHash.toString('base64'), issuedAt: row.issuedAt, note: row.note };
}

/** A tenant log's signed checkpoints, as the tenant reads them (row-level security), and as a keyset list, newest (largest) first. */
@Injectable()
export class CheckpointRepository implements KeysetSource<CheckpointFilter, CheckpointView> {
  readonly name = 'integrity-checkpoints';

  constructor(private readonly db: TenantReader) {}

  fetch(tenantId: string | null, f: CheckpointFilter, limit: number, offset: number, after?: CursorPosition): Promise<CheckpointView[]> {
    const where = new SqlWhere()
      .eq('tenant_id', definedTenant(tenantId))
      .add(f.minSize !== undefined, (b) => `size >= ${b(f.minSize)}`)
      .add(f.maxSize !== undefined, (b) => `size <= ${b(f.maxSize)}`)
      .add(f.issuedFrom !== undefined, (b) => `issued_at >= ${b(f.issuedFrom)}`)
      .add(f.issuedBefore !== undefined, (b) => `issued_at < ${b(f.issuedBefore)}`)
      .add(after !== undefined, (b) => `size < ${b(after?.i)}::bigint`);
    return this.select(definedTenant(tenantId), `${where} ORDER BY size DESC LIMIT ${where.bind(limit)} OFFSET ${where.bind(offset)}`, where.params);
  }

  positionOf(c: CheckpointView): CursorPosition {
    return { t: c.issuedAt, i: String(c.size) };
  }

  async latest(tenantId: string): Promise<CheckpointView | undefined> {
    return (await this.select(tenantId, 'WHERE tenant_id = $1 ORDER BY size DESC LIMIT 1', [tenantId]))[0];
  }

  /** The checkpoints of these sizes that exist. */
  ofSizes(tenantId: string, sizes: number[]): Promise<CheckpointView[]> {
    return this.select(tenantId, 'WHERE tenant_id = $1 AND size = ANY($2::bigint[])', [tenantId, sizes]);
  }

  /**
   * Every key that signed a checkpoint of the log, with the origin it signed under, the
   * most recently used first. A key id stands for one key under one name, so it is read from the
   * rows without their notes but the first line of one.
   */
  async keysUsed(tenantId: string): Promise<UsedKey[]> {
    const rows = await this.db.query<{ origin: string; publicKey: Buffer }>(
      tenantId,
      `SELECT origin, public_key AS "publicKey" FROM (
         SELECT DISTINCT ON (key_id, public_key) split_part(note, E'\\n', 1) AS origin, public_key, size
         FROM ${t.name} WHERE tenant_id = $1 ORDER BY key_id, public_key, size DESC
       ) used ORDER BY size DESC`,
      [tenantId],
    );
    return rows;
  }

  private async select(tenantId: string, rest: string, params: unknown[]): Promise<CheckpointView[]> {
    const rows = await this.db.query<Record<string, unknown>>(tenantId, `SELECT ${t.select()} FROM ${t.name} ${rest}`, params);
    return rows.map((raw) => checkpointView(t.decode(raw)));
  }
}
