import { Injectable } from '@nestjs/common';
import { frontierFromBytes, type Frontier } from '@runtrail/merkle';
import { DB_ROLES, integrityCheckpointsTable, type IntegrityCheckpointRow } from '@runtrail/persistence';
import { DataSource } from 'typeorm';

/** A tenant log with entries its latest checkpoint does not cover (or no checkpoint at all). */
export interface GrownLog {
  tenantId: string;
  frontier: Frontier;
}

/** Logs that grew since their latest checkpoint; an empty log never has one. */
const GROWN_LOGS_SQL = `
  SELECT l.tenant_id AS "tenantId", l.size, l.frontier FROM integrity_logs l
   WHERE l.size > COALESCE((SELECT max(c.size) FROM integrity_checkpoints c WHERE c.tenant_id = l.tenant_id), 0)`;

/** Replicas that read the same size sign it alike: the first row stays, the others add nothing. */
const INSERT_CHECKPOINTS = integrityCheckpointsTable.insert({ conflict: ['tenantId', 'size'], update: 'nothing' });

/**
 * Where checkpoints are written: as `runtrail_integrity`, which reads every tenant's log
 * and may only add checkpoints (the query service's other reads are one tenant's, and
 * read-only).
 */
@Injectable()
export class CheckpointStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * In one transaction: reads every log that grew, and stores the checkpoint `sign` makes of
   * each (none when it answers null). Answers the checkpoints that are new (another replica may have stored the same
   * sizes first).
   */
  checkpointGrownLogs(sign: (log: GrownLog) => Promise<IntegrityCheckpointRow | null>): Promise<IntegrityCheckpointRow[]> {
    return this.dataSource.transaction(async (em) => {
      await em.query(`SET LOCAL ROLE ${DB_ROLES.integrity}`);
      const grown = (await em.query(GROWN_LOGS_SQL)) as { tenantId: string; size: string; frontier: Buffer }[];
      if (grown.length === 0) return [];
      const signed = await Promise.all(grown.map((l) => sign({ tenantId: l.tenantId, frontier: frontierFromBytes(Number(l.size), l.frontier) })));
      const rows = signed.filter((r): r is IntegrityCheckpointRow => r !== null);
      if (rows.length === 0) return [];
      const stored = (await em.query(`${INSERT_CHECKPOINTS.text} RETURNING tenant_id AS "tenantId", size`, INSERT_CHECKPOINTS.params(rows))) as { tenantId: string; size: string }[];
      const isNew = new Set(stored.map((s) => `${s.tenantId}/${Number(s.size)}`));
      return rows.filter((r) => isNew.has(`${r.tenantId}/${r.size}`));
    });
  }
}
