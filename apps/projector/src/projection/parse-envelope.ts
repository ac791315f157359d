import { ENVELOPE_VERSION, type EventEnvelope } from '@runtrail/contracts';

export class PoisonMessageError extends Error {}

/**
 * Reads a stream message's envelope and checks what the projector relies on. The
 * gateway validated every event; this guards against anything else that wrote to
 * the subject, or a future envelope version this projector does not know.
 */
export function parseEnvelope(data: Uint8Array, subjectTenant: string, subjectKind: string): EventEnvelope<unknown> {
  let envelope: EventEnvelope<unknown>;
  try {
    envelope = JSON.parse(Buffer.from(data).toString('utf8')) as EventEnvelope<unknown>;
  } catch {
    throw new PoisonMessageError('payload is not JSON');
  }
  if (envelope === null || typeof envelope !== 'object') throw new PoisonMessageError('payload is not an object');
  if (envelope.v !== ENVELOPE_VERSION) throw new PoisonMessageError(`unknown envelope version ${String(envelope.v)}`);
  if (envelope.tenantId !== subjectTenant) throw new PoisonMessageError('tenant in payload differs from subject');
  if (envelope.kind !== subjectKind) throw new PoisonMessageError('kind in payload differs from subject');
  if (!Array.isArray(envelope.events) || envelope.events.length === 0 || envelope.events.length > 1000) {
    throw new PoisonMessageError('events must be an array of 1 to 1000');
  }
  if (!envelope.submitter || typeof envelope.submitter.name !== 'string') throw new PoisonMessageError('submitter missing');
  if (typeof envelope.receivedAt !== 'string' || Number.isNaN(Date.parse(envelope.receivedAt))) {
    throw new PoisonMessageError('receivedAt missing');
  }
  return envelope;
}
