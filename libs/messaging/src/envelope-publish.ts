import { createHash } from 'node:crypto';
import { ENVELOPE_VERSION, eventSubject, type EventEnvelope } from '@runtrail/contracts';
import type { PublishRequest } from './event-publisher';

/** Stays clear of NATS's default 1 MiB max_payload, headers included. */
export const MAX_ENVELOPE_BYTES = 900 * 1024;

/** What the server stamps on events: their kind and tenant (which also name the subject), who sent them, when. */
export type EnvelopeHeader<T> = Omit<EventEnvelope<T>, 'v' | 'events'>;

/**
 * A batch of events serialised once, with the SHA-256 of that text (base64url): the
 * message's events, its id and the vault entry's name are all made from it, so a batch of
 * 500 events is not stringified and hashed again for each.
 */
export interface SerializedEvents<T> {
  events: T[];
  json: string;
  digest: string;
}

export function serializeEvents<T>(events: T[]): SerializedEvents<T> {
  const json = JSON.stringify(events);
  return { events, json, digest: createHash('sha256').update(json).digest('base64url') };
}

/**
 * Turns one accepted request into stream messages on `<namespace>.evt.<tenant>.<kind>`:
 * one envelope for the whole batch, split in halves until each fits in a message. The message id is derived
 * from the tenant, the kind and the events' content (not their ids: a run's start
 * and end reports share an id), so a client's retry of the same request is
 * recognised by JetStream inside its duplicate window, and nothing else is.
 */
export function toPublishRequests<T>(namespace: string, header: EnvelopeHeader<T>, { events, json, digest }: SerializedEvents<T>): PublishRequest[] {
  const head = JSON.stringify({ v: ENVELOPE_VERSION, ...header } satisfies Omit<EventEnvelope<T>, 'events'>);
  const data = Buffer.from(`${head.slice(0, -1)},"events":${json}}`);
  if (data.length > MAX_ENVELOPE_BYTES && events.length > 1) {
    const half = Math.ceil(events.length / 2);
    return [
      ...toPublishRequests(namespace, header, serializeEvents(events.slice(0, half))),
      ...toPublishRequests(namespace, header, serializeEvents(events.slice(half))),
    ];
  }
  return [{ subject: eventSubject(namespace, header.tenantId, header.kind), data, msgID: `${header.tenantId}:${header.kind}:${digest}` }];
}
