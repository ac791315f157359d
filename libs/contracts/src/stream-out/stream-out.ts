/** Where a stream delivers (CONTRACT §8, docs/streams.md). */
export const STREAM_KINDS = ['webhook', 'splunk-hec', 'syslog', 'slack'] as const;
export type StreamKind = (typeof STREAM_KINDS)[number];

/** `active` delivers or waits for entries; `error` has failed for a while and keeps trying; `paused` waits for a resume. */
export const STREAM_STATES = ['active', 'error', 'paused'] as const;
export type StreamState = (typeof STREAM_STATES)[number];

/** Where a new stream starts: only entries stored from now on, or the tenant's whole history first. */
export const STREAM_STARTS = ['now', 'beginning'] as const;
export type StreamStart = (typeof STREAM_STARTS)[number];

/**
 * The filter of a stream: the names and values of `GET /v1/audit`'s filters (strings, as a
 * query would carry them), so a filter built in the console's timeline is a stream's filter.
 */
export type StreamFilter = Partial<Record<'start' | 'end' | 'action' | 'source_type' | 'source_id' | 'source_name' | 'entity_type' | 'entity_id' | 'success' | 'correlation_id' | 'changed_field', string>>;

/** A stream as `POST /v1/streams` answers it. Its secret is never shown again. */
export interface StreamView {
  id: string;
  tenantId: string;
  name: string;
  kind: StreamKind;
  url: string;
  filter: StreamFilter;
  from: StreamStart;
  state: StreamState;
  createdAt: string;
}

/** A stream as `GET /v1/streams` lists it: with where its delivery stands. */
export interface StreamStatusView extends StreamView {
  lastDeliveredAt: string | null;
  lastError: string | null;
  /** Stored entries that match the filter and are not delivered yet. */
  lagEntries: number;
}

/** The entity type of the synthetic record `POST /v1/streams/{id}/test` delivers: outside every filter, never stored. */
export const STREAM_TEST_ENTITY_TYPE = 'StreamTest';
