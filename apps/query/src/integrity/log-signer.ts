import type { KeyObject } from 'node:crypto';
import { logOrigin } from '@runtrail/integrity';
import { checkpointText, keyHash, rawPublicKey, signNote, verifierKey, type Hash } from '@runtrail/merkle';
import { IntegritySecrets, type NatsClient } from '@runtrail/messaging';
import type { QueryConfig } from '../shared/config/query.config';
import { ed25519FromSeed, parseSigningKey } from './signing-key';

/** A log's signing key as the API shows it (docs/api.md#get-v1-integrity-public-key). */
export interface LogKey {
  keyId: string;
  algorithm: 'ed25519';
  publicKey: string;
  verifierKey: string;
}

/** The key `publicKey` is under the signed-note name `origin`: each tenant's log has its own name, so its own key id. */
export function describeKey(origin: string, publicKey: Buffer): LogKey {
  return {
    keyId: keyHash(origin, publicKey).toString('hex'),
    algorithm: 'ed25519',
    publicKey: publicKey.toString('base64'),
    verifierKey: verifierKey(origin, publicKey),
  };
}

/**
 * The operator's one Ed25519 key, signing each tenant's checkpoints under the log's origin
 * as key name (CONTRACT §6): `runtrail/<installation>/<tenantId>`.
 */
export class LogSigner {
  readonly publicKey: Buffer;

  constructor(
    private readonly privateKey: KeyObject,
    private readonly installation: string,
    /** Where the key came from, for the start-up log line. */
    readonly source: 'RUNTRAIL_SIGNING_KEY' | 'generated',
    /** Every key the installation has signed with (this one included), as kept in NATS: the only keys a verification trusts. */
    readonly trustedKeys: Buffer[] = [],
    /** This start is the key's first: generated just now, or a new RUNTRAIL_SIGNING_KEY. */
    readonly firstUse = false,
  ) {
    this.publicKey = rawPublicKey(privateKey);
  }

  /** Whether `publicKey` is one this installation signed with. */
  trusts(publicKey: Buffer): boolean {
    return this.trustedKeys.some((k) => k.equals(publicKey));
  }

  origin(tenantId: string): string {
    return logOrigin(this.installation, tenantId);
  }

  key(tenantId: string): LogKey {
    return describeKey(this.origin(tenantId), this.publicKey);
  }

  /** The C2SP checkpoint note of the tenant's tree of `size` leaves with root `root`, and the key id it names. */
  sign(tenantId: string, size: number, root: Hash): { note: string; keyId: string } {
    const origin = this.origin(tenantId);
    return { note: signNote(checkpointText(origin, size, root), origin, this.privateKey), keyId: keyHash(origin, this.publicKey).toString('hex') };
  }

  /** `RUNTRAIL_SIGNING_KEY`, else the key generated once for the installation and kept in its NATS bucket. */
  static async load(config: QueryConfig, client: NatsClient): Promise<LogSigner> {
    const secrets = await IntegritySecrets.open(client, config.RUNTRAIL_NAMESPACE, config.STREAM_REPLICAS);
    const given = config.RUNTRAIL_SIGNING_KEY !== undefined;
    const key = given ? parseSigningKey(config.RUNTRAIL_SIGNING_KEY as string) : ed25519FromSeed(await secrets.signingSeed());
    const publicKey = rawPublicKey(key);
    const firstUse = !(await secrets.publicKeys()).some((k) => k.equals(publicKey));
    await secrets.recordPublicKey(publicKey);
    return new LogSigner(key, config.RUNTRAIL_INSTALLATION, given ? 'RUNTRAIL_SIGNING_KEY' : 'generated', await secrets.publicKeys(), firstUse);
  }
}
