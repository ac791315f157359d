import { ApiProperty } from '@nestjs/swagger';
import { STREAM_KINDS, STREAM_STARTS, STREAM_STATES, type StreamFilter, type StreamKind, type StreamStart, type StreamState, type StreamStatusView, type StreamView } from '@runtrail/contracts';
import type { StreamDefinition, StreamMisses, StreamProgress } from './stream-store';

/**
 * A stream's state, from its definition and progress as they are now: paused, else `error`
 * once its deliveries have failed for `errorAfterMs` without a success between, else active.
 */
export function streamState(d: StreamDefinition, p: StreamProgress, errorAfterMs: number, now: number): StreamState {
  if (d.paused) return 'paused';
  return p.failingSince !== null && now - Date.parse(p.failingSince) >= errorAfterMs ? 'error' : 'active';
}

/** A Slack incoming webhook's path is its credential: like a secret, it is never answered again, only its origin. */
export function shownUrl(kind: StreamKind, url: string): string {
  return kind === 'slack' ? `${new URL(url).origin}/…` : url;
}

export function streamView(d: StreamDefinition, state: StreamState): StreamView {
  return { id: d.id, tenantId: d.tenantId, name: d.name, kind: d.kind, url: shownUrl(d.kind, d.url), filter: d.filter, from: d.from, state, createdAt: d.createdAt };
}

/** What a stream says of the entries retention removed before it delivered them. */
export function missedNote(m: StreamMisses): string {
  return `missed ${m.entries} ${m.entries === 1 ? 'entry' : 'entries'} that retention removed before delivery (the latest removal at ${m.at}, of entries received before ${m.receivedBefore})`;
}

/** `lastError`: the last delivery's failure; while deliveries succeed, what retention took from the stream, if it took anything. */
export function streamStatusView(d: StreamDefinition, p: StreamProgress, state: StreamState, lagEntries: number, missed: StreamMisses | null = null): StreamStatusView {
  return { ...streamView(d, state), lastDeliveredAt: p.lastDeliveredAt, lastError: p.lastError ?? (missed ? missedNote(missed) : null), lagEntries };
}

const FILTER_SCHEMA = {
  type: 'object',
  additionalProperties: { type: 'string' },
  description: 'The filters of GET /v1/audit by the same names, with string values',
  example: { entity_type: 'ActionRun', success: 'false' },
} as const;

/** OpenAPI description of a stream. */
export class StreamViewDto implements StreamView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: STREAM_KINDS }) kind!: StreamKind;
  @ApiProperty({ example: 'https://siem.example.com/runtrail' }) url!: string;
  @ApiProperty(FILTER_SCHEMA) filter!: StreamFilter;
  @ApiProperty({ enum: STREAM_STARTS }) from!: StreamStart;
  @ApiProperty({ enum: STREAM_STATES }) state!: StreamState;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** OpenAPI description of a stream with where its delivery stands. */
export class StreamStatusViewDto extends StreamViewDto implements StreamStatusView {
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastDeliveredAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why the last delivery failed; after a success, null, or how many entries retention removed before they were delivered' }) lastError!: string | null;
  @ApiProperty({ description: 'Stored entries that match the filter and are not delivered yet' }) lagEntries!: number;
}
