import { Injectable } from '@nestjs/common';
import { ExportFormatError, LogVerifier, type LogProblem } from '@runtrail/integrity';
import { TreeNodes } from '../tree-nodes';
import { LogView } from './log-view';
import { LogStretches } from './log-stretch';
import { RunChecks, type RunAnchor } from './run-checks';
import { StoredTreeCheck } from './stored-tree-check';

export interface VerifyCommand {
  tenantId: string;
  start: number;
  end?: number;
}

export interface LogVerificationView {
  ok: boolean;
  entries: number;
  checkpoints: number;
  firstProblem: LogProblem | null;
  /** What retention removed (CONTRACT §8), beside `ok`. */
  removed: { upToIndex: number } | null;
}

/**
 * `GET /v1/integrity/verify` (CONTRACT §6, docs/integrity.md#verification): rebuilds each
 * entry's canonical bytes from the rows the query API answers from and checks them against
 * the log, every checkpoint's signature and root against the log's leaves, the stored
 * subtrees proofs are served from against those leaves, and every merged run against the
 * merge of its reports, with the verifier `runtrail verify` uses.
 * Answers the problem at the lowest index.
 */
@Injectable()
export class VerifyLog {
  constructor(
    private readonly stretches: LogStretches,
    private readonly view: LogView,
    private readonly runs: RunChecks,
    private readonly nodes: TreeNodes,
  ) {}

  async execute({ tenantId, start, end }: VerifyCommand): Promise<LogVerificationView> {
    const stretch = await this.stretches.open(tenantId, start, end);
    const verifier = new LogVerifier({ origin: stretch.origin, verifiers: stretch.verifiers, prefix: stretch.prefix });
    let unreadable: LogProblem | null = null;
    for (const c of stretch.checkpoints) {
      try {
        verifier.checkpoint(c.note);
      } catch (err) {
        // A note that is not one (edited in the table) is a checkpoint no key signed.
        if (!(err instanceof ExportFormatError)) throw err;
        unreadable ??= { index: c.size, entryId: null, kind: 'bad-signature', detail: `the checkpoint of size ${c.size} is not a signed note: ${err.message}` };
      }
    }
    const anchors = new Map<string, RunAnchor>();
    const tree = new StoredTreeCheck(this.nodes, tenantId, stretch.prefix);
    for await (const v of this.view.entries(tenantId, stretch.start, stretch.end, stretch.end === stretch.size)) {
      verifier.entry(v.entry);
      if (v.entry.leafHash) await tree.leaf(v.entry.leafHash);
      if (v.report && v.entry.index !== null && !anchors.has(v.report.runId)) anchors.set(v.report.runId, { index: v.entry.index, entryId: v.entry.entryId });
    }
    const result = verifier.finish();
    const firstProblem = [result.firstProblem, unreadable, await tree.finish(), await this.runs.firstProblem(tenantId, anchors)]
      .filter((p): p is LogProblem => p !== null)
      .reduce<LogProblem | null>((first, p) => (first === null || p.index < first.index ? p : first), null);
    const removed = stretch.removedUpTo > 0 ? { upToIndex: stretch.removedUpTo } : null;
    return { ok: firstProblem === null, entries: result.entries, checkpoints: result.checkpoints, firstProblem, removed };
  }
}
