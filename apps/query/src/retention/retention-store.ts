import type { KV } from '@nats-io/kv';
import { liveEntries } from '@runtrail/auth';
import type { Principal } from '@runtrail/contracts';
import type { NatsClient } from '@runtrail/messaging';

/** A tenant's retention policy (CONTRACT §8): `days` 0 keeps everything, `legalHold` stops retention. */
export interface RetentionPolicy {
  tenantId: string;
  days: number;
  legalHold: boolean;
  updatedAt: string;
  /** Whose policy it is: the source of the timeline entries of the removals it makes. */
  updatedBy: Principal;
}

/** The policy of a tenant that never set one: keep everything. */
export function defaultPolicy(tenantId: string): Omit<RetentionPolicy, 'updatedAt' | 'updatedBy'> & { updatedAt: null; updatedBy: null } {
  return { tenantId, days: 0, legalHold: false, updatedAt: null, updatedBy: null };
}

/** The cutoff a policy sets at `now` ("received before"), or null where it removes nothing (forever, or on legal hold). */
export function cutoffOf(policy: Pick<RetentionPolicy, 'days' | 'legalHold'>, now: number): Date | null {
  return policy.days > 0 && !policy.legalHold ? new Date(now - policy.days * 86_400_000) : null;
}

/**
 * Retention policies in a JetStream KV bucket (`<ns>-retention`, key `policy.<tenant>`): in
 * NATS like the streams' definitions and the keys, so a rebuild of the tables leaves them as
 * they are, and every replica reads the same.
 */
export class RetentionStore {
  private constructor(private readonly kv: KV) {}

  static async open(client: NatsClient, namespace: string, replicas: number): Promise<RetentionStore> {
    return new RetentionStore(await client.kvm.create(`${namespace}-retention`, { history: 1, replicas }));
  }

  async get(tenantId: string): Promise<RetentionPolicy | undefined> {
    const entry = await this.kv.get(`policy.${tenantId}`);
    return entry?.operation === 'PUT' ? entry.json<RetentionPolicy>() : undefined;
  }

  async list(): Promise<RetentionPolicy[]> {
    return (await liveEntries(this.kv, 'policy.')).map((e) => e.json<RetentionPolicy>());
  }

  async save(policy: RetentionPolicy): Promise<void> {
    await this.kv.put(`policy.${policy.tenantId}`, JSON.stringify(policy));
  }
}
