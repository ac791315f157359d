import { eventSubject, type AuditRecord, type EventKind, type RunStatus } from '@runtrail/contracts';
import type { ConsumedMessage } from '@runtrail/messaging';
import { runEntryEventId, type PositionedRecord } from '@runtrail/persistence';
import { batchReading, recordsToDeliver, type BatchReading } from './batch-records';
import { auditRecord } from '../../../test/fixtures';

const NS = 'rt-spec';
const TENANT = 'acme';

const RUN_A = '6c1f3a8e-2b4d-4e5f-9a0b-1c2d3e4f5a6b';
const RUN_B = '7d2e4b9f-3c5e-4f60-8b1c-2d3e4f5a6b7c';
const RUN_C = '8e3f5ca0-4d6f-4071-9c2d-3e4f5a6b7c8d';

/** A message of the tenant's stream as the stream's consumer hands it over. */
function message(seq: number, kind: EventKind, events: unknown[], subject = eventSubject(NS, TENANT, kind)): ConsumedMessage {
  return { seq, subject, data: new TextEncoder().encode(JSON.stringify({ v: 1, kind, tenantId: TENANT, events })) };
}

/** A run report as far as the stream reads it: the run's id and status (the rest of an ActionRunReport is not read). */
function report(id: string, status: RunStatus): { id: string; status: RunStatus; name: string } {
  return { id, status, name: 'deploy' };
}

function record(id: number, eventId = `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`): AuditRecord {
  return auditRecord({ id, eventId, tenantId: TENANT, happenedAt: '2026-03-01T10:00:00.000Z', entityId: null, entityName: null, sourceId: null, sourceName: 'Ada', receivedAt: '2026-03-01T10:00:01.000Z' });
}

/** An entry found for the batch, with the sequence of the message it came from (its position's). */
function candidate(streamSeq: number, id: number, eventId?: string): PositionedRecord {
  return { record: record(id, eventId), streamSeq };
}

/** A run's timeline entry: its event id is the run's, its position the one of its first report. */
function runEntry(runId: string, firstReportSeq: number, id: number): PositionedRecord {
  return candidate(firstReportSeq, id, runEntryEventId(runId));
}

const ids = (records: AuditRecord[]) => records.map((r) => r.id);

describe('batchReading', () => {
  it('spans the batch from its first to its last sequence', () => {
    const reading = batchReading(NS, [message(10, 'audit', [{}]), message(11, 'runner', [{}]), message(14, 'audit', [{}])]);
    expect(reading.firstSeq).toBe(10);
    expect(reading.lastSeq).toBe(14);
  });

  it('notes the messages of audit events, in the partitioned and the legacy layout, and no other kind', () => {
    const reading = batchReading(NS, [
      message(1, 'audit', [{}]),
      message(2, 'runner', [{}]),
      message(3, 'command', [{}]),
      message(4, 'schedule', [{}]),
      message(5, 'erasure', [{}]),
      message(6, 'audit', [{}], `${NS}.evt.${TENANT}.audit`),
      message(7, 'audit', [{}], `other-ns.part.0.${TENANT}.audit`),
      message(8, 'run', [report(RUN_A, 'running')]),
    ]);
    expect([...reading.auditSeqs].sort((a, b) => a - b)).toEqual([1, 6]);
    expect(reading.finishedRuns.size).toBe(0);
  });

  it.each<RunStatus>(['successful', 'failed', 'aborted'])('notes a run that a report finishes with %s, by its entry event id, at that report', (status) => {
    const reading = batchReading(NS, [message(20, 'run', [report(RUN_A, 'running')]), message(21, 'run', [report(RUN_A, status)])]);
    expect(reading.finishedRuns).toEqual(new Map([[runEntryEventId(RUN_A), 21]]));
    expect(reading.auditSeqs.size).toBe(0);
  });

  it('does not note a run still running, nor one whose status is unknown', () => {
    const reading = batchReading(NS, [message(30, 'run', [report(RUN_A, 'running'), { id: RUN_B, status: 'exploded' }, { id: RUN_C }])]);
    expect(reading.finishedRuns.size).toBe(0);
  });

  it('notes every finished run of a message of several reports, the legacy layout included', () => {
    const reading = batchReading(NS, [
      message(40, 'run', [report(RUN_A, 'successful'), report(RUN_B, 'running')]),
      message(41, 'run', [report(RUN_C, 'failed')], `${NS}.evt.${TENANT}.run`),
    ]);
    expect(reading.finishedRuns).toEqual(
      new Map([
        [runEntryEventId(RUN_A), 40],
        [runEntryEventId(RUN_C), 41],
      ]),
    );
  });

  it('keeps the first report that finished a run when a later one of the batch finishes it again', () => {
    const reading = batchReading(NS, [message(50, 'run', [report(RUN_A, 'failed')]), message(51, 'run', [report(RUN_A, 'failed')])]);
    expect(reading.finishedRuns.get(runEntryEventId(RUN_A))).toBe(50);
  });

  it('finds the run entry of a run id written in capitals (run ids are stored in lower case)', () => {
    const reading = batchReading(NS, [message(55, 'run', [report(RUN_A.toUpperCase(), 'successful')])]);
    expect(reading.finishedRuns.get(runEntryEventId(RUN_A))).toBe(55);
  });

  it('ignores a run message it cannot read, and reads the rest of the batch', () => {
    const unreadable: ConsumedMessage = { seq: 61, subject: eventSubject(NS, TENANT, 'run'), data: new TextEncoder().encode('{not json') };
    const noEvents: ConsumedMessage = { seq: 62, subject: eventSubject(NS, TENANT, 'run'), data: new TextEncoder().encode('{"v":1}') };
    const nonStringId = message(63, 'run', [{ id: 7, status: 'successful' }]);
    const reading = batchReading(NS, [message(60, 'audit', [{}]), unreadable, noEvents, nonStringId, message(64, 'run', [report(RUN_B, 'aborted')])]);
    expect([...reading.auditSeqs]).toEqual([60]);
    expect(reading.finishedRuns).toEqual(new Map([[runEntryEventId(RUN_B), 64]]));
    expect(reading.firstSeq).toBe(60);
    expect(reading.lastSeq).toBe(64);
  });
});

describe('recordsToDeliver', () => {
  /** A reading as batchReading makes it, to keep each case to what it is about. */
  function reading(auditSeqs: number[], finishedRuns: [string, number][] = []): BatchReading {
    const seqs = [...auditSeqs, ...finishedRuns.map(([, seq]) => seq)];
    return { firstSeq: Math.min(...seqs), lastSeq: Math.max(...seqs), auditSeqs: new Set(auditSeqs), finishedRuns: new Map(finishedRuns.map(([runId, seq]) => [runEntryEventId(runId), seq])) };
  }

  it('delivers the entries of audit messages at their own position, in order', () => {
    const records = recordsToDeliver(reading([10, 12]), [candidate(12, 12_001), candidate(10, 10_000), candidate(12, 12_000), candidate(10, 10_001)]);
    expect(ids(records)).toEqual([10_000, 10_001, 12_000, 12_001]);
  });

  it('places a finished run entry at the report that finished it, though its id and position are older', () => {
    // The run's first report was message 3, long before this batch; message 12 finished it.
    const records = recordsToDeliver(reading([11, 13], [[RUN_A, 12]]), [candidate(11, 11_000), runEntry(RUN_A, 3, 3_000), candidate(13, 13_000)]);
    expect(ids(records)).toEqual([11_000, 3_000, 13_000]);
    expect(records[1].eventId).toBe(runEntryEventId(RUN_A));
  });

  it('places a run entry whose first report is in the batch at its finishing report, not its first', () => {
    const records = recordsToDeliver(reading([21, 23], [[RUN_A, 22]]), [runEntry(RUN_A, 20, 20_000), candidate(21, 21_000), candidate(23, 23_000)]);
    expect(ids(records)).toEqual([21_000, 20_000, 23_000]);
  });

  it('leaves out the entry of a run still running, though it is in the batch', () => {
    // Message 30 is the run's first report (running): no audit message, no finished run.
    const records = recordsToDeliver(reading([31]), [runEntry(RUN_B, 30, 30_000), candidate(31, 31_000)]);
    expect(ids(records)).toEqual([31_000]);
  });

  it('orders entries placed at one message by id', () => {
    const records = recordsToDeliver(reading([], [[RUN_A, 40], [RUN_B, 40]]), [runEntry(RUN_B, 7, 7_000), runEntry(RUN_A, 5, 5_000)]);
    expect(ids(records)).toEqual([5_000, 7_000]);
  });

  it('delivers nothing for no candidates', () => {
    expect(recordsToDeliver(reading([1]), [])).toEqual([]);
  });

  it('works with what batchReading reads from a batch', () => {
    const batch = [
      message(100, 'audit', [{}, {}]),
      message(101, 'run', [report(RUN_A, 'running')]),
      message(102, 'run', [report(RUN_B, 'successful')]),
      message(103, 'audit', [{}]),
      message(104, 'run', [report(RUN_A, 'running')]),
    ];
    const candidates = [
      candidate(100, 100_000),
      candidate(100, 100_001),
      runEntry(RUN_A, 101, 101_000), // still running: not now
      runEntry(RUN_B, 90, 90_000), // first reported before the batch, finished at 102
      candidate(103, 103_000),
    ];
    expect(ids(recordsToDeliver(batchReading(NS, batch), candidates))).toEqual([100_000, 100_001, 90_000, 103_000]);
  });

  it('delivers a run entry once its run finishes in a later batch, at that report', () => {
    const first = [message(200, 'run', [report(RUN_C, 'running')]), message(201, 'audit', [{}])];
    expect(ids(recordsToDeliver(batchReading(NS, first), [runEntry(RUN_C, 200, 200_000), candidate(201, 201_000)]))).toEqual([201_000]);

    const second = [message(202, 'audit', [{}]), message(203, 'run', [report(RUN_C, 'failed')])];
    expect(ids(recordsToDeliver(batchReading(NS, second), [runEntry(RUN_C, 200, 200_000), candidate(202, 202_000)]))).toEqual([202_000, 200_000]);
  });
});

describe('batchReading of messages that are not what they say', () => {
  it.each([['[null]'], ['5'], ['{}'], ['"x"']])('ignores a run message whose events are %s', (events) => {
    const m = { seq: 7, subject: eventSubject('ns', 'acme', 'run'), data: Buffer.from(`{"v":1,"kind":"run","tenantId":"acme","events":${events}}`) };
    expect(batchReading('ns', [m]).finishedRuns.size).toBe(0);
  });
});
