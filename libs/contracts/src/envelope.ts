import type { Principal } from './principal';
import type { EventKind } from './subjects';

/**
 * What the gateway stores in the stream for one accepted request, a chunk of it, or
 * several small requests of one key accepted while a store was in flight (ADR 0025):
 * the validated events plus what the server stamped on them. The tenant and the
 * submitter come from the API key, never from the body.
 */
export interface EventEnvelope<T> {
  v: 1;
  kind: EventKind;
  tenantId: string;
  submitter: Principal;
  /** When the gateway accepted the request, ISO-8601 UTC with milliseconds. */
  receivedAt: string;
  /** Set on the service's own administrative acts (CONTRACT §6: their log entries are of kind `admin-act`); never on what clients submit. */
  act?: true;
  /** The vault entry holding the personal values whose digests the events carry (docs/integrity.md#personal-data); absent when they carry none. */
  vault?: string;
  events: T[];
}

export const ENVELOPE_VERSION = 1 as const;
