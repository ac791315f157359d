import { createHmac } from 'node:crypto';
import canonicalize from 'canonicalize';

/** How many recent digests each tenant keeps. */
const RECENT_DIGESTS = 65_536;

/**
 * Keyed digests of a tenant's personal values: `hmac-sha256:` and the standard base64 of
 * HMAC-SHA-256 under the tenant's digest key. The key is derived from the installation's
 * digest secret and the tenant id, so no two tenants' digests of one value are alike and
 * one secret is all an operator keeps. Without the key a digest reveals nothing, not even
 * by trying likely values; with it, an erased value can be confirmed but never read back
 * (docs/integrity.md#personal-data, ADR 0015).
 */
export class PersonalDigests {
  /**
   * Digests computed lately, by value: a value is digested where it is sealed, checked and
   * made into an entry, and sources, user agents and addresses repeat from event to event.
   * Emptied when full, which is cheaper than tracking recency and as good for these repeats.
   */
  private readonly recent = new Map<string, string>();

  private constructor(private readonly key: Buffer) {}

  static forTenant(secret: Buffer, tenantId: string): PersonalDigests {
    if (secret.length < 32) throw new Error('the digest secret must hold at least 32 bytes');
    return new PersonalDigests(createHmac('sha256', secret).update(`runtrail personal-data digest v1\n${tenantId}`).digest());
  }

  /** The digest of a personal string (an id, a name, a context value). */
  of(value: string): string {
    let digest = this.recent.get(value);
    if (digest === undefined) {
      digest = `hmac-sha256:${createHmac('sha256', this.key).update(value, 'utf8').digest('base64')}`;
      if (this.recent.size >= RECENT_DIGESTS) this.recent.clear();
      // Long values (a user agent is up to 1 KiB) are digested every time rather than kept.
      if (value.length <= 256) this.recent.set(value, digest);
    }
    return digest;
  }

  /**
   * The digest of a `changes` value, any JSON: of a NUL byte and its RFC 8785 form. The NUL,
   * which no submitted string may hold, keeps the two kinds of digest apart: the number 1
   * and the name "1" never share one (nor a vault entry), and `"5"` and `5` differ too.
   */
  ofJson(value: unknown): string {
    return this.of(`\u0000${canonicalize(value) ?? 'null'}`);
  }
}

/** Every tenant's `PersonalDigests` under one installation secret, each derived once. */
export class TenantDigests {
  private readonly byTenant = new Map<string, PersonalDigests>();

  constructor(private readonly secret: Buffer) {}

  of(tenantId: string): PersonalDigests {
    let digests = this.byTenant.get(tenantId);
    if (!digests) {
      digests = PersonalDigests.forTenant(this.secret, tenantId);
      this.byTenant.set(tenantId, digests);
    }
    return digests;
  }
}
