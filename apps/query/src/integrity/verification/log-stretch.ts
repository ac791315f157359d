import { Injectable } from '@nestjs/common';
import { EMPTY_FRONTIER, frontierNodes, parseVerifierKey, type Frontier, type NoteVerifier } from '@runtrail/merkle';
import { TenantReader, logRemoval } from '@runtrail/persistence';
import { LogSigner, describeKey } from '../log-signer';
import { TreeNodes } from '../tree-nodes';

/** A stretch `[start, end)` of a tenant's log, with what checking it from the rows needs. */
export interface LogStretch {
  tenantId: string;
  origin: string;
  /** The log's size now. */
  size: number;
  /** Entries `[0, removedUpTo)` were removed by retention (0: none): a stretch starts after them. */
  removedUpTo: number;
  start: number;
  end: number;
  /** The compact range of the leaves before `start`, from the stored tree. */
  prefix: Frontier;
  /** The checkpoints the stretch proves: sizes in `(start, end]`, oldest first. */
  checkpoints: { size: number; note: string }[];
  /** The keys trusted to have signed them: the one signing now, and the earlier ones. */
  verifiers: NoteVerifier[];
}

/** What verification and export of a stretch of the log start from (docs/integrity.md#verification). */
@Injectable()
export class LogStretches {
  constructor(
    private readonly reader: TenantReader,
    private readonly nodes: TreeNodes,
    private readonly signer: LogSigner,
  ) {}

  async open(tenantId: string, start: number, end: number | undefined): Promise<LogStretch> {
    const [[log], [removal]] = await Promise.all([
      this.reader.query<{ size: string }>(tenantId, `SELECT size FROM integrity_logs WHERE tenant_id = $1`, [tenantId]),
      this.reader.read(tenantId, logRemoval(tenantId)),
    ]);
    const size = Number(log?.size ?? 0);
    const removedUpTo = removal?.upToIndex ?? 0;
    // What retention removed has no rows left to rebuild entries from: the stretch starts after it, its hashes in the prefix.
    const to = Math.max(Math.min(end ?? size, size), removedUpTo);
    const from = Math.min(Math.max(start, removedUpTo), to);
    const prefixNodes = frontierNodes(from);
    const prefix = from === 0 ? EMPTY_FRONTIER : { size: from, hashes: await this.nodes.rangeHashes(tenantId, prefixNodes.map((n) => [n.index * 2 ** n.level, (n.index + 1) * 2 ** n.level] as const)) };
    const checkpoints = await this.reader.query<{ size: string; note: string }>(
      tenantId,
      `SELECT size, note FROM integrity_checkpoints WHERE tenant_id = $1 AND size > $2 AND size <= $3 ORDER BY size`,
      [tenantId, from, to],
    );
    return {
      tenantId,
      origin: this.signer.origin(tenantId),
      size,
      removedUpTo,
      start: from,
      end: to,
      prefix,
      checkpoints: checkpoints.map((c) => ({ size: Number(c.size), note: c.note })),
      verifiers: this.verifiers(tenantId),
    };
  }

  /** The installation's keys under the log's name: a checkpoint of another log, or by another key, is not this log's. */
  private verifiers(tenantId: string): NoteVerifier[] {
    return this.signer.trustedKeys.map((k) => parseVerifierKey(describeKey(this.signer.origin(tenantId), k).verifierKey));
  }
}
