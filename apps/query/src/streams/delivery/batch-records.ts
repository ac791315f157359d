import { TERMINAL_STATUSES, parseEventSubject, type RunStatus } from '@runtrail/contracts';
import type { ConsumedMessage } from '@runtrail/messaging';
import { runEntryEventId } from '@runtrail/persistence';

/**
 * What a stream delivers for a run of a batch's messages, in the tenant's stream order:
 * the entries a stretch of consecutive audit messages stored (read by position), or the
 * entries of the runs one run message finished (read by event id).
 */
export type BatchSegment = { kind: 'entries'; firstSeq: number; lastSeq: number } | { kind: 'finished-runs'; seq: number; entryIds: string[] };

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

/** The entry ids of the runs a run message finishes, each once, in the order of their reports. */
function finishedRuns(data: Uint8Array): string[] {
  const ids = runReports(data)
    .filter((r) => typeof r.id === 'string' && TERMINAL_STATUSES.includes(r.status as RunStatus))
    .map((r) => runEntryEventId(r.id as string));
  return [...new Set(ids)];
}

/**
 * The segments of a batch of one tenant's messages (its consumer hands over every message
 * of the tenant, so between consecutive audit messages there is no other fact of the tenant,
 * and the positions of a stretch of them hold that stretch's entries only). A run's timeline entry is
 * delivered once, when its run has finished, at the place of the report that finished it:
 * delivered at its first report, an alert on `success=false` would fire for every run
 * still running (docs/streams.md#what-a-stream-delivers). Other kinds store no entry.
 */
export function batchSegments(namespace: string, batch: ConsumedMessage[]): BatchSegment[] {
  const segments: BatchSegment[] = [];
  // The stretch of audit messages the next one extends: any other message ends it, since a
  // run message's positions hold its run's entry (delivered when the run finishes, not there).
  let stretch: { kind: 'entries'; firstSeq: number; lastSeq: number } | undefined;
  for (const m of batch) {
    const kind = parseEventSubject(namespace, m.subject)?.kind;
    if (kind !== 'audit') stretch = undefined;
    if (kind === 'audit') {
      if (stretch) stretch.lastSeq = m.seq;
      else segments.push((stretch = { kind: 'entries', firstSeq: m.seq, lastSeq: m.seq }));
    } else if (kind === 'run') {
      const entryIds = finishedRuns(m.data);
      if (entryIds.length) segments.push({ kind: 'finished-runs', seq: m.seq, entryIds });
    }
  }
  return segments;
}
