import { randomBytes } from 'node:crypto';
import type { KV } from '@nats-io/kv';
import type { NatsClient } from './nats-client';

const DIGEST_SECRET = 'digest-secret';
const SIGNING_KEY = 'signing-key';

/**
 * The integrity log's secrets that must outlive every service and every rebuild of the
 * tables, in a JetStream KV bucket (`<ns>-integrity`): the secret personal values are
 * digested under, and the generated signing key when `RUNTRAIL_SIGNING_KEY` is unset.
 * Each is made once by whichever service needs it first (`create` is a compare-and-set,
 * so replicas starting together agree on one) and never changed.
 */
export class IntegritySecrets {
  private constructor(private readonly kv: KV) {}

  static async open(client: NatsClient, namespace: string, replicas: number): Promise<IntegritySecrets> {
    return new IntegritySecrets(await client.kvm.create(`${namespace}-integrity`, { history: 1, replicas }));
  }

  /** 32 random bytes; a digest of a personal value is an HMAC under a key derived from it per tenant. */
  digestSecret(): Promise<Buffer> {
    return this.once(DIGEST_SECRET);
  }

  /** The 32-byte Ed25519 seed of the generated signing key. */
  signingSeed(): Promise<Buffer> {
    return this.once(SIGNING_KEY);
  }

  private async once(key: string): Promise<Buffer> {
    const existing = await this.kv.get(key);
    if (existing?.operation === 'PUT') return Buffer.from(existing.value);
    const fresh = randomBytes(32);
    try {
      await this.kv.create(key, fresh);
      return fresh;
    } catch {
      // Another service made it first: take theirs.
      const theirs = await this.kv.get(key);
      if (theirs?.operation !== 'PUT') throw new Error(`integrity secret ${key} could not be created or read`);
      return Buffer.from(theirs.value);
    }
  }
}
