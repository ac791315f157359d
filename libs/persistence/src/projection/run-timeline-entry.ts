import { createHash } from 'node:crypto';
import { streamSeqOf } from '../schema/stream-position';
import type { AuditEventRow } from '../tables/audit-events.table';
import type { FoldedRun } from './fold-run-reports';

/** A fixed namespace for the name-based (v5) ids of run entries in the timeline. */
const RUN_ENTRY_NAMESPACE = Buffer.from('6f2a1c3e5b7d4e9f8a0b1c2d3e4f5a6b', 'hex');

/**
 * The event id of a run's timeline entry: a UUID v5 of the run id, so the entry is
 * found again on every report of the run, and never equals the run id itself (an
 * audit event may legitimately carry that).
 */
export function runEntryEventId(runId: string): string {
  const hash = createHash('sha1').update(RUN_ENTRY_NAMESPACE).update(runId.toLowerCase()).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The run's one entry in the audit timeline (docs/api.md#the-audit-timeline). */
export function runTimelineEntry(folded: FoldedRun): AuditEventRow {
  const { run, source } = folded;
  const context: Record<string, string> = { workspace: run.workspace.name };
  if (run.hostname !== null) context.hostname = run.hostname;
  if (run.osUser !== null) context.os_user = run.osUser;
  if (run.cliVersion !== null) context.cli_version = run.cliVersion;
  return {
    id: folded.firstPosition,
    tenantId: folded.tenantId,
    eventId: runEntryEventId(run.id),
    happenedAt: run.startedAt,
    action: 'Run',
    version: '1.0',
    entityType: 'ActionRun',
    entityId: run.id,
    entityName: `${run.block.name}.${run.action}`,
    sourceType: source.type,
    sourceId: source.id,
    sourceName: source.name,
    success: run.status === 'successful',
    context,
    receivedAt: folded.receivedAt,
    changes: null,
    correlationId: run.correlationId ?? null,
    submittedBy: source,
    streamSeq: streamSeqOf(folded.firstPosition),
  };
}
