import type { EnvelopeHeader } from './envelope-publish';

/** Submissions of at most this many events are grouped; larger ones are stored alone, as they are. */
export const GROUPED_SUBMISSION_EVENTS = 16;

/**
 * What one group may hold: as many events as one request may (the position of an event in
 * its message, `stream_seq * 1024 + index`, needs fewer than 1024), and a size that keeps
 * the group's vault entry well inside JetStream's 1 MiB message.
 */
export const GROUP_LIMITS = { events: 1000, bytes: 256 * 1024 };

/** Stores one tenant's events durably under one header: `EventPublisher.publishEvents`. */
export type StoreEvents = <T>(header: EnvelopeHeader<T>, events: T[]) => Promise<unknown>;

interface Waiting {
  header: EnvelopeHeader<unknown>;
  events: unknown[];
  bytes: number;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Group commit for the gateway's small submissions (ADR 0025). While one store of a
 * tenant's events from one key and of one kind is in flight, the next submissions with
 * that header queue, and the store after it takes all of them as one envelope: one vault
 * entry and one stream message for many requests, where each request made one of each.
 * A lone submission is stored at once, so nothing waits for a timer; under load each
 * store carries what arrived during the previous one. Every submission resolves only once
 * the store that holds it was acknowledged, and fails with it.
 *
 * The envelope keeps the latest `receivedAt` of its members, so no event is said to have
 * arrived before it did (they differ by at most one store's duration).
 */
export class SubmissionGroupCommit {
  private readonly queues = new Map<string, Waiting[]>();

  constructor(
    private readonly store: StoreEvents,
    private readonly limits = GROUP_LIMITS,
  ) {}

  async submit<T>(header: EnvelopeHeader<T>, events: T[]): Promise<void> {
    if (events.length > GROUPED_SUBMISSION_EVENTS) {
      await this.store(header, events);
      return;
    }
    const bytes = JSON.stringify(events).length;
    if (bytes > this.limits.bytes) {
      await this.store(header, events);
      return;
    }
    const groupKey = JSON.stringify({ ...header, receivedAt: undefined });
    await new Promise<void>((resolve, reject) => {
      const waiting: Waiting = { header, events, bytes, resolve, reject };
      const queue = this.queues.get(groupKey);
      if (queue) {
        queue.push(waiting);
        return;
      }
      this.queues.set(groupKey, [waiting]);
      void this.drain(groupKey);
    });
  }

  /** One store at a time per header, each taking as much of the queue as the limits allow, until it is empty. */
  private async drain(groupKey: string): Promise<void> {
    const queue = this.queues.get(groupKey) as Waiting[];
    while (queue.length > 0) {
      const group = this.takeGroup(queue);
      const receivedAt = group.reduce((latest, w) => (w.header.receivedAt > latest ? w.header.receivedAt : latest), group[0].header.receivedAt);
      try {
        await this.store({ ...group[0].header, receivedAt }, group.flatMap((w) => w.events));
        for (const w of group) w.resolve();
      } catch (err) {
        for (const w of group) w.reject(err);
      }
    }
    this.queues.delete(groupKey);
  }

  private takeGroup(queue: Waiting[]): Waiting[] {
    let events = queue[0].events.length;
    let bytes = queue[0].bytes;
    let n = 1;
    while (n < queue.length && events + queue[n].events.length <= this.limits.events && bytes + queue[n].bytes <= this.limits.bytes) {
      events += queue[n].events.length;
      bytes += queue[n].bytes;
      n += 1;
    }
    return queue.splice(0, n);
  }
}
