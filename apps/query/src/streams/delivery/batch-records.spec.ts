import { eventSubject, type EventKind, type RunStatus } from '@runtrail/contracts';
import type { ConsumedMessage } from '@runtrail/messaging';
import { runEntryEventId } from '@runtrail/persistence';
import { batchSegments } from './batch-records';

const NS = 'rt-spec';
const TENANT = 'acme';

const RUN_A = '6c1f3a8e-2b4d-4e5f-9a0b-1c2d3e4f5a6b';
const RUN_B = '7d2e4b9f-3c5e-4f60-8b1c-2d3e4f5a6b7c';
const RUN_C = '8e3f5ca0-4d6f-4071-9c2d-3e4f5a6b7c8d';

/** A message of the tenant's stream as the stream's consumer hands it over. */
function message(seq: number, kind: EventKind, events: unknown[], subject = eventSubject(NS, TENANT, kind)): ConsumedMessage {
  return { seq, subject, data: new TextEncoder().encode(JSON.stringify({ v: 1, kind, tenantId: TENANT, events })) };
}

/** A run report as far as the stream reads it: the run's id and status. */
function report(id: string, status: RunStatus | string): { id: string; status: string; name: string } {
  return { id, status, name: 'deploy' };
}

describe('batchSegments', () => {
  it('reads a stretch of consecutive audit messages as one range of positions', () => {
    expect(batchSegments(NS, [message(10, 'audit', [{}]), message(11, 'audit', [{}]), message(14, 'audit', [{}])])).toEqual([{ kind: 'entries', firstSeq: 10, lastSeq: 14 }]);
  });

  it('ends a stretch at any other message of the tenant, whose positions hold no entry to deliver there', () => {
    const segments = batchSegments(NS, [
      message(1, 'audit', [{}]),
      message(2, 'run', [report(RUN_A, 'running')]),
      message(3, 'audit', [{}]),
      message(4, 'runner', [{}]),
      message(5, 'schedule', [{}]),
      message(6, 'audit', [{}]),
    ]);
    expect(segments).toEqual([
      { kind: 'entries', firstSeq: 1, lastSeq: 1 },
      { kind: 'entries', firstSeq: 3, lastSeq: 3 },
      { kind: 'entries', firstSeq: 6, lastSeq: 6 },
    ]);
  });

  it.each<RunStatus>(['successful', 'failed', 'aborted'])('delivers a run finished with %s by its entry id, at the report that finished it', (status) => {
    const segments = batchSegments(NS, [message(20, 'run', [report(RUN_A, 'running')]), message(21, 'audit', [{}]), message(22, 'run', [report(RUN_A, status)])]);
    expect(segments).toEqual([
      { kind: 'entries', firstSeq: 21, lastSeq: 21 },
      { kind: 'finished-runs', seq: 22, entryIds: [runEntryEventId(RUN_A)] },
    ]);
  });

  it('leaves out runs still running and reports of an unknown status', () => {
    expect(batchSegments(NS, [message(30, 'run', [report(RUN_A, 'running'), report(RUN_B, 'exploded'), { id: RUN_C }])])).toEqual([]);
  });

  it('names each finished run of a message once, in the order of its reports', () => {
    const segments = batchSegments(NS, [message(40, 'run', [report(RUN_C, 'failed'), report(RUN_A, 'successful'), report(RUN_B, 'running'), report(RUN_C, 'failed')])]);
    expect(segments).toEqual([{ kind: 'finished-runs', seq: 40, entryIds: [runEntryEventId(RUN_C), runEntryEventId(RUN_A)] }]);
  });

  it('reads the legacy layout, and nothing of another namespace', () => {
    const segments = batchSegments(NS, [message(50, 'audit', [{}], `${NS}.evt.${TENANT}.audit`), message(51, 'audit', [{}], `other.part.0.${TENANT}.audit`), message(52, 'run', [report(RUN_A, 'failed')], `${NS}.evt.${TENANT}.run`)]);
    expect(segments).toEqual([
      { kind: 'entries', firstSeq: 50, lastSeq: 50 },
      { kind: 'finished-runs', seq: 52, entryIds: [runEntryEventId(RUN_A)] },
    ]);
  });

  it.each([['[null]'], ['5'], ['{}'], ['"x"'], ['[{"id":7,"status":"failed"}]']])('ignores a run message whose events are %s', (events) => {
    const m = { seq: 7, subject: eventSubject(NS, TENANT, 'run'), data: Buffer.from(`{"v":1,"kind":"run","tenantId":"acme","events":${events}}`) };
    expect(batchSegments(NS, [m])).toEqual([]);
  });

  it('ignores a run message that is not JSON', () => {
    expect(batchSegments(NS, [{ seq: 8, subject: eventSubject(NS, TENANT, 'run'), data: Buffer.from('not json') }])).toEqual([]);
  });

  it('has nothing for an empty batch', () => {
    expect(batchSegments(NS, [])).toEqual([]);
  });
});
