import { TERMINAL_STATUSES, parseEventSubject, type AuditRecord, type RunStatus } from '@runtrail/contracts';
import type { ConsumedMessage } from '@runtrail/messaging';
import { runEntryEventId, type PositionedRecord } from '@runtrail/persistence';

/** What a batch of a tenant's stream messages asks a stream to read. */
export interface BatchReading {
  firstSeq: number;
  lastSeq: number;
  /** Messages of audit events: their entries are delivered by position. */
  auditSeqs: Set<number>;
  /** Run entries (by event id) whose run a message of the batch finished, and that message's sequence. */
  finishedRuns: Map<string, number>;
}

interface RunReportShape {
  id?: unknown;
  status?: unknown;
}

/** The reports a run message holds; none when it is not readable as one (the projector dead-letters such a message). */
function runReports(data: Uint8Array): RunReportShape[] {
  try {
    const events = (JSON.parse(Buffer.from(data).toString('utf8')) as { events?: unknown } | null)?.events;
    return Array.isArray(events) ? events.filter((e): e is RunReportShape => typeof e === 'object' && e !== null) : [];
  } catch {
    return [];
  }
}

/**
 * Reads the batch's subjects and, for run reports, which runs they finish. A run's timeline
 * entry is delivered once, when its run has finished, at the place of the report that
 * finished it: delivered at its first report, an alert on `success=false` would fire for
 * every run still running (docs/streams.md#what-a-stream-delivers).
 */
export function batchReading(namespace: string, batch: ConsumedMessage[]): BatchReading {
  const reading: BatchReading = { firstSeq: batch[0]?.seq ?? 0, lastSeq: batch[batch.length - 1]?.seq ?? 0, auditSeqs: new Set(), finishedRuns: new Map() };
  for (const m of batch) {
    const kind = parseEventSubject(namespace, m.subject)?.kind;
    if (kind === 'audit') reading.auditSeqs.add(m.seq);
    if (kind !== 'run') continue;
    for (const r of runReports(m.data)) {
      if (typeof r.id !== 'string' || !TERMINAL_STATUSES.includes(r.status as RunStatus)) continue;
      const entry = runEntryEventId(r.id);
      if (!reading.finishedRuns.has(entry)) reading.finishedRuns.set(entry, m.seq);
    }
  }
  return reading;
}

/**
 * The records to deliver for a batch, in the tenant's stream order, from what the read found:
 * audit entries of the batch's audit messages at their own position, finished runs' entries
 * at the report that finished them; anything else (a run entry seen at its first report, a
 * run not finished yet) is not delivered now.
 */
export function recordsToDeliver(reading: BatchReading, candidates: PositionedRecord[]): AuditRecord[] {
  const placed: { at: number; id: number; record: AuditRecord }[] = [];
  for (const { record, streamSeq } of candidates) {
    const finishedAt = reading.finishedRuns.get(record.eventId);
    if (finishedAt !== undefined) placed.push({ at: finishedAt, id: record.id, record });
    else if (reading.auditSeqs.has(streamSeq)) placed.push({ at: streamSeq, id: record.id, record });
  }
  return placed.sort((a, b) => a.at - b.at || a.id - b.id).map((p) => p.record);
}
