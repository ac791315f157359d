import { frontierNodes, frontierToBytes, type Hash } from '@runtrail/merkle';
import { DB_ROLES, LIVE_SCHEMA, schemaIdentifier } from '@runtrail/persistence';
import type { Client } from 'pg';

/**
 * What retention removed is gone from the stream, so a rebuild cannot project it again; it
 * carries it over instead (docs/retention.md#rebuild), before it projects anything: each
 * tenant's removal, the removed entries of the log with their subtrees, the log's state at
 * the cut (its size, frontier and last position), and the removed events' keys (a removed
 * event re-sent later stays a duplicate). The rebuilt log then grows on from the cut, and
 * reproduces every signed root, those signed before the removal included.
 * Runs as the projector role, which writes every tenant's rows. Answers the tenants carried.
 */
export async function carryRemovedPrefixes(db: Client, schema: string): Promise<number> {
  const to = schemaIdentifier(schema);
  const from = LIVE_SCHEMA;
  await db.query('BEGIN');
  try {
    await db.query(`SET LOCAL ROLE ${DB_ROLES.projector}`);
    const { rows: removals } = await db.query<{ tenant_id: string; up_to_index: string; up_to_position: string }>(
      `INSERT INTO ${to}.integrity_removals SELECT * FROM ${from}.integrity_removals RETURNING tenant_id, up_to_index, up_to_position`,
    );
    const joined = (table: string, alias: string, condition: string) =>
      `INSERT INTO ${to}.${table} SELECT ${alias}.* FROM ${from}.${table} ${alias} JOIN ${from}.integrity_removals r ON r.tenant_id = ${alias}.tenant_id WHERE ${condition}`;
    await db.query(joined('integrity_entries', 'e', 'e.idx < r.up_to_index'));
    await db.query(joined('integrity_nodes', 'n', '(n.idx + 1) * (1::bigint << n.level) <= r.up_to_index'));
    await db.query(joined('audit_event_keys', 'k', 'k.id <= r.up_to_position'));
    for (const r of removals) {
      const size = Number(r.up_to_index);
      const hashes: Hash[] = [];
      for (const node of frontierNodes(size)) {
        const { rows } = await db.query<{ hash: Buffer }>(
          node.level === 0
            ? `SELECT leaf_hash AS hash FROM ${to}.integrity_entries WHERE tenant_id = $1 AND idx = $3 AND $2::int = 0`
            : `SELECT hash FROM ${to}.integrity_nodes WHERE tenant_id = $1 AND level = $2 AND idx = $3`,
          [r.tenant_id, node.level, node.index],
        );
        if (!rows[0]) throw new Error(`the removed prefix of tenant ${r.tenant_id} lacks its subtree at level ${node.level}, index ${node.index}`);
        hashes.push(rows[0].hash as Hash);
      }
      await db.query(`INSERT INTO ${to}.integrity_logs (tenant_id, size, frontier, last_position, updated_at) VALUES ($1, $2, $3, $4, now())`, [
        r.tenant_id,
        size,
        frontierToBytes({ size, hashes }),
        r.up_to_position,
      ]);
    }
    await db.query('COMMIT');
    return removals.length;
  } catch (err) {
    await db.query('ROLLBACK');
    throw err;
  }
}
