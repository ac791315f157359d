import type { KV } from '@nats-io/kv';
import type { ActionRunReport, AuditEvent, EventKind } from '@runtrail/contracts';
import { personalDataBucketName } from '@runtrail/contracts';
import { TenantDigests, sealAuditEvents, sealRunReports, type VaultValues } from '@runtrail/integrity';
import { serializeEvents, type SerializedEvents } from './envelope-publish';
import { IntegritySecrets } from './integrity-secrets';
import type { NatsClient } from './nats-client';

/** Rewrites of one entry that lost a race to another before an erasure gives up. */
const FORGET_ATTEMPTS = 20;

/**
 * Where personal values live instead of the stream (docs/integrity.md#personal-data): a
 * JetStream KV bucket (`<ns>-personal`, one revision per key), one entry per submission
 * under `<tenant>.<digest of its sealed events>`, holding its values by their digests.
 * The stream keeps only the digests, so it never has to change: erasing a value rewrites
 * the vault entries that hold it, and a table rebuilt from the stream reads `[erased]`.
 */
export class PersonalDataVault {
  private constructor(
    private readonly kv: KV,
    readonly digests: TenantDigests,
  ) {}

  static async open(client: NatsClient, namespace: string, replicas: number): Promise<PersonalDataVault> {
    const secret = await (await IntegritySecrets.open(client, namespace, replicas)).digestSecret();
    const kv = await client.kvm.create(personalDataBucketName(namespace), { history: 1, replicas });
    return new PersonalDataVault(kv, new TenantDigests(secret));
  }

  /**
   * Replaces the personal values of audit events and run reports by their digests and
   * stores the values, before the caller publishes: the vault entry exists once the
   * message does. Other kinds of fact hold no personal values and pass unchanged.
   */
  async seal<T>(kind: EventKind, tenantId: string, events: T[]): Promise<{ batch: SerializedEvents<T>; vault?: string }> {
    const digests = this.digests.of(tenantId);
    let sealed;
    if (kind === 'audit') sealed = sealAuditEvents(events as AuditEvent[], digests);
    else if (kind === 'run') sealed = sealRunReports(events as ActionRunReport[], digests);
    else return { batch: serializeEvents(events) };
    // Named by the digest of the sealed events, which the message's id is made from too.
    const batch = serializeEvents(sealed.items as T[]);
    if (Object.keys(sealed.values).length === 0) return { batch };
    const key = `${tenantId}.${batch.digest}`;
    await this.kv.put(key, JSON.stringify(sealed.values));
    return { batch, vault: key };
  }

  /** An entry's values; an entry that is gone holds none (every value reads as erased). */
  async values(key: string): Promise<VaultValues> {
    const entry = await this.kv.get(key);
    return entry?.operation === 'PUT' ? entry.json<VaultValues>() : {};
  }

  /**
   * Drops the given digests from an entry; returns how many it held. One revision is kept,
   * so the old one is gone. The rewrite is conditional on the revision it read: two
   * erasures of different values of one entry, running at once (on two query replicas,
   * say), must not bring back what the other one dropped.
   */
  async forget(key: string, digests: readonly string[]): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      const entry = await this.kv.get(key);
      if (entry?.operation !== 'PUT') return 0;
      const values = entry.json<VaultValues>();
      const held = digests.filter((d) => Object.hasOwn(values, d));
      if (held.length === 0) return 0;
      for (const d of held) delete values[d];
      try {
        await this.kv.update(key, JSON.stringify(values), entry.revision);
        return held.length;
      } catch (err) {
        if (attempt >= FORGET_ATTEMPTS || !isWrongRevision(err)) throw err;
      }
    }
  }
}

/** JetStream's answer to a conditional write whose expected revision is no longer the last. */
function isWrongRevision(err: unknown): boolean {
  return err instanceof Error && /wrong last sequence/i.test(err.message);
}
