import type { KV, KvEntry } from '@nats-io/kv';
import { BACKOFF, retry } from '@runtrail/platform/retry';

export interface CreatedOnce {
  /** The value kept under the key: this caller's, or the one another replica made first. */
  entry: KvEntry;
  /** Whether this caller's value is the one kept. */
  created: boolean;
}

/**
 * Reads an installation-wide value (a secret, a key pair) or creates it when it is missing,
 * so replicas starting together agree on one: KV `create` is atomic, and whoever loses the
 * race reads the winner's. Retried as any start-up dependency is: a bucket with several
 * replicas that was made a moment ago may refuse reads and writes while it elects a leader.
 */
export function kvCreateOnce(kv: KV, key: string, make: () => string | Uint8Array): Promise<CreatedOnce> {
  const mine = make();
  const mineBytes = typeof mine === 'string' ? Buffer.from(mine) : Buffer.from(mine);
  return retry(
    async () => {
      if ((await kv.get(key))?.operation !== 'PUT') {
        // Refused when another replica made it first, or for now: the read below tells.
        await kv.create(key, mine).catch(() => undefined);
      }
      const entry = await kv.get(key);
      if (entry?.operation !== 'PUT') throw new Error(`${key} could not be created or read`);
      // Compared by value, not by whether our create returned: an attempt whose create was
      // stored but whose answer was lost still made the value kept.
      return { entry, created: mineBytes.equals(Buffer.from(entry.value)) };
    },
    { policy: BACKOFF.dependency, maxAttempts: 8 },
  );
}
