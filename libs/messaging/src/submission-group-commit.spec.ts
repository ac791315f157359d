import type { Principal } from '@runtrail/contracts';
import type { EnvelopeHeader } from './envelope-publish';
import { GROUPED_SUBMISSION_EVENTS, SubmissionGroupCommit } from './submission-group-commit';

interface Stored {
  header: EnvelopeHeader<unknown>;
  events: unknown[];
  finish(): void;
  fail(err: Error): void;
}

/** A store whose writes finish when the test says so, recording what each one held. */
function heldStore() {
  const stores: Stored[] = [];
  const store = <T>(header: EnvelopeHeader<T>, events: T[]) =>
    new Promise<void>((resolve, reject) => {
      stores.push({ header: header as EnvelopeHeader<unknown>, events, finish: resolve, fail: reject });
    });
  return { stores, store };
}

const alice: Principal = { type: 'Application', id: 'key-a', name: 'ci' };
const bob: Principal = { type: 'Application', id: 'key-b', name: 'cd' };
const header = (receivedAt: string, over: Partial<EnvelopeHeader<unknown>> = {}): EnvelopeHeader<unknown> => ({ kind: 'audit', tenantId: 'acme', submitter: alice, receivedAt, ...over });
const at = (ms: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, 0, ms)).toISOString();
/** Lets a finished store's follow-up (the next group) start. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('SubmissionGroupCommit', () => {
  it('stores a lone submission at once, as it came', async () => {
    const { stores, store } = heldStore();
    const groups = new SubmissionGroupCommit(store);
    const done = groups.submit(header(at(1)), ['e1']);
    expect(stores).toHaveLength(1);
    expect(stores[0]).toMatchObject({ header: header(at(1)), events: ['e1'] });
    stores[0].finish();
    await expect(done).resolves.toBeUndefined();
  });

  it('stores what arrives during a store as one envelope next, in arrival order, with the latest receivedAt, and answers each only then', async () => {
    const { stores, store } = heldStore();
    const groups = new SubmissionGroupCommit(store);
    const first = groups.submit(header(at(1)), ['e1']);
    let answered = 0;
    const queued = [groups.submit(header(at(3)), ['e2', 'e3']), groups.submit(header(at(2)), ['e4'])].map((p) => p.then(() => (answered += 1)));
    expect(stores).toHaveLength(1);
    stores[0].finish();
    await first;
    await settle();
    expect(stores).toHaveLength(2);
    expect(stores[1].header).toEqual(header(at(3)));
    expect(stores[1].events).toEqual(['e2', 'e3', 'e4']);
    expect(answered).toBe(0);
    stores[1].finish();
    await Promise.all(queued);
    expect(answered).toBe(2);
  });

  it('never puts two tenants, keys or kinds in one envelope, and none waits for another', async () => {
    const { stores, store } = heldStore();
    const groups = new SubmissionGroupCommit(store);
    void groups.submit(header(at(1)), ['a']);
    void groups.submit(header(at(1), { tenantId: 'globex' }), ['b']);
    void groups.submit(header(at(1), { submitter: bob }), ['c']);
    void groups.submit(header(at(1), { kind: 'run' }), ['d']);
    void groups.submit(header(at(1), { act: true }), ['e']);
    expect(stores.map((s) => s.events)).toEqual([['a'], ['b'], ['c'], ['d'], ['e']]);
  });

  it('stores a larger submission alone, at once, even while a group is in flight', async () => {
    const { stores, store } = heldStore();
    const groups = new SubmissionGroupCommit(store);
    void groups.submit(header(at(1)), ['small']);
    const large = Array.from({ length: GROUPED_SUBMISSION_EVENTS + 1 }, (_, i) => `e${i}`);
    void groups.submit(header(at(2)), large);
    expect(stores.map((s) => s.events)).toEqual([['small'], large]);
  });

  it('keeps a group within its events and bytes, splitting only between submissions', async () => {
    const { stores, store } = heldStore();
    const groups = new SubmissionGroupCommit(store, { events: 4, bytes: 30 });
    void groups.submit(header(at(0)), ['x']);
    void groups.submit(header(at(1)), ['a', 'b', 'c']);
    void groups.submit(header(at(2)), ['d', 'e']);
    void groups.submit(header(at(3)), ['f']);
    void groups.submit(header(at(4)), ['0123456789', '0123456789']); // 27 bytes of JSON
    void groups.submit(header(at(5)), ['g']);
    const seen: unknown[][] = [];
    while (seen.length < 5) {
      const last = stores[stores.length - 1];
      seen.push(last.events);
      last.finish();
      await settle();
    }
    expect(seen).toEqual([['x'], ['a', 'b', 'c'], ['d', 'e', 'f'], ['0123456789', '0123456789'], ['g']]);
  });

  it('fails exactly the submissions of a store that failed, and goes on with the next ones', async () => {
    const { stores, store } = heldStore();
    const groups = new SubmissionGroupCommit(store);
    const first = groups.submit(header(at(1)), ['a']);
    const second = groups.submit(header(at(2)), ['b']);
    const third = groups.submit(header(at(3)), ['c']);
    stores[0].fail(new Error('no ack'));
    await expect(first).rejects.toThrow('no ack');
    await settle();
    stores[1].fail(new Error('still no ack'));
    await expect(second).rejects.toThrow('still no ack');
    await expect(third).rejects.toThrow('still no ack');

    const later = groups.submit(header(at(4)), ['d']);
    expect(stores).toHaveLength(3);
    stores[2].finish();
    await expect(later).resolves.toBeUndefined();
  });
});
