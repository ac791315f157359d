import { Inject, Injectable } from '@nestjs/common';
import { parseEventSubject, type ActionRunReport, type AuditEvent, type EventEnvelope } from '@runtrail/contracts';
import { VaultMismatchError, openAuditEvent, openRunReport, type ErasedDigests, type VaultValues } from '@runtrail/integrity';
import { PersonalDataVault, type ConsumedMessage } from '@runtrail/messaging';
import { mapPaced } from '@runtrail/platform';
import { ProjectorConfig } from '../config/projector.config';
import { PoisonMessageError, parseEnvelope } from './parse-envelope';
import { SettledDeadLetters } from './settled-dead-letters';

/** What decoding needs of the vault: its values, and the digests to check them by. */
export type VaultReader = Pick<PersonalDataVault, 'digests' | 'values'>;

/** A stream message made ready to project, or the reason it never can be. */
export interface DecodedMessage {
  m: ConsumedMessage;
  /** Absent for a message no projection reads (a runner's signed command copy). */
  kind?: string;
  envelope?: EventEnvelope<unknown>;
  /** Per event: the personal fields that read as `[erased]`, with the digests the entries keep. */
  erased?: ErasedDigests[];
  poison?: string;
}

/**
 * Reads a batch before its transaction: subjects, envelopes, and the personal values of
 * audit events and run reports from the vault (docs/integrity.md#personal-data), fetched
 * together, so the transaction holds no lock while NATS answers.
 */
@Injectable()
export class DecodeBatch {
  constructor(
    @Inject(PersonalDataVault) private readonly vault: VaultReader,
    @Inject(ProjectorConfig) private readonly config: ProjectorConfig,
    private readonly settled: SettledDeadLetters,
  ) {}

  async decode(batch: ConsumedMessage[]): Promise<DecodedMessage[]> {
    const decoded = batch.map((m) => this.parse(m));
    const keys = [...new Set(decoded.flatMap((d) => (d.envelope?.vault ? [d.envelope.vault] : [])))];
    const values = new Map<string, VaultValues>(await Promise.all(keys.map(async (k) => [k, await this.vault.values(k)] as const)));
    const opened: DecodedMessage[] = [];
    for (const d of decoded) opened.push(d.envelope ? await this.open(d, values) : d);
    return opened;
  }

  private parse(m: ConsumedMessage): DecodedMessage {
    const settled = this.settled.reasonFor(m.seq);
    if (settled !== undefined) return { m, poison: settled };
    try {
      const target = parseEventSubject(this.config.RUNTRAIL_NAMESPACE, m.subject);
      if (!target) throw new PoisonMessageError('subject is not an event subject');
      // A command delivery is a runner's signed copy; its facts come as kind `command`.
      if (target.kind === 'cmd') return { m };
      return { m, kind: target.kind, envelope: parseEnvelope(m.data, target.tenantId, target.kind) };
    } catch (err) {
      if (!(err instanceof PoisonMessageError)) throw err;
      return { m, poison: err.message };
    }
  }

  /**
   * Puts the personal values back into a sealed envelope's events; paced (mapPaced), as it
   * runs while the previous group's transaction waits for its replies.
   */
  private async open(d: DecodedMessage, values: Map<string, VaultValues>): Promise<DecodedMessage> {
    const envelope = d.envelope as EventEnvelope<unknown>;
    if (!envelope.vault || (d.kind !== 'audit' && d.kind !== 'run')) return d;
    const held = values.get(envelope.vault) ?? {};
    const digests = this.vault.digests.of(envelope.tenantId);
    try {
      const opened = await mapPaced(envelope.events, (e) =>
        d.kind === 'audit' ? openAuditEvent(e as AuditEvent, held, digests) : openRunReport(e as ActionRunReport, held, digests),
      );
      return { ...d, envelope: { ...envelope, events: opened.map((o) => o.item) }, erased: opened.map((o) => o.erased) };
    } catch (err) {
      if (!(err instanceof VaultMismatchError) && !(err instanceof TypeError)) throw err;
      return { m: d.m, poison: err.message };
    }
  }
}
