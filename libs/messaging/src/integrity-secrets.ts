import { randomBytes } from 'node:crypto';
import type { KV } from '@nats-io/kv';
import { kvCreateOnce } from './kv-create-once';
import type { NatsClient } from './nats-client';

const DIGEST_SECRET = 'digest-secret';
const SIGNING_KEY = 'signing-key';
const PUBLIC_KEYS = 'public-keys';
/** `signed.<tenant>`: the size and root of the largest checkpoint signed of the tenant's log. */
const SIGNED = 'signed.';
/** Attempts of a change that lost a compare-and-set to another replica. */
const ATTEMPTS = 5;

/**
 * What the integrity log keeps outside Postgres, so that it outlives every service and
 * every rebuild of the tables and a database administrator cannot change it, in a JetStream
 * KV bucket (`<ns>-integrity`): the secret personal values are digested under, the generated
 * signing key when `RUNTRAIL_SIGNING_KEY` is unset (each made once by whichever service
 * needs it first: `create` is a compare-and-set, so replicas starting together agree on
 * one, and never changed), every public key signed with, and the last checkpoint signed of
 * each tenant's log.
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

  /**
   * Every public key this installation ever signed checkpoints with, oldest first. A
   * verification trusts these and no other (never a key a checkpoint row merely names:
   * whoever can write that table could name their own).
   */
  async publicKeys(): Promise<Buffer[]> {
    const entry = await this.kv.get(PUBLIC_KEYS);
    return entry?.operation === 'PUT' ? entry.json<string[]>().map((k) => Buffer.from(k, 'base64')) : [];
  }

  /** Adds the key that signs from now on to `publicKeys` (kept; a compare-and-set, so replicas starting together add it once). */
  async recordPublicKey(publicKey: Buffer): Promise<void> {
    const encoded = publicKey.toString('base64');
    for (let attempt = 1; ; attempt++) {
      const entry = await this.kv.get(PUBLIC_KEYS);
      const keys = entry?.operation === 'PUT' ? entry.json<string[]>() : [];
      if (keys.includes(encoded)) return;
      try {
        if (entry) await this.kv.update(PUBLIC_KEYS, JSON.stringify([...keys, encoded]), entry.revision);
        else await this.kv.create(PUBLIC_KEYS, JSON.stringify([encoded]));
        return;
      } catch (err) {
        if (attempt >= ATTEMPTS) throw err;
      }
    }
  }

  /** The largest checkpoint signed of a tenant's log, kept apart from the database it was read from. */
  async lastSigned(tenantId: string): Promise<{ size: number; root: Buffer } | undefined> {
    const entry = await this.kv.get(`${SIGNED}${tenantId}`);
    if (entry?.operation !== 'PUT') return undefined;
    const { size, root } = entry.json<{ size: number; root: string }>();
    return { size, root: Buffer.from(root, 'base64') };
  }

  /** Records a signed checkpoint, unless a larger one is recorded already (replicas sign in any order). */
  async recordSigned(tenantId: string, size: number, root: Buffer): Promise<void> {
    const key = `${SIGNED}${tenantId}`;
    const value = JSON.stringify({ size, root: root.toString('base64') });
    for (let attempt = 1; ; attempt++) {
      const entry = await this.kv.get(key);
      if (entry?.operation === 'PUT' && entry.json<{ size: number }>().size >= size) return;
      try {
        if (entry) await this.kv.update(key, value, entry.revision);
        else await this.kv.create(key, value);
        return;
      } catch (err) {
        if (attempt >= ATTEMPTS) throw err;
      }
    }
  }

  private async once(key: string): Promise<Buffer> {
    const { entry } = await kvCreateOnce(this.kv, key, () => randomBytes(32));
    return Buffer.from(entry.value);
  }
}
