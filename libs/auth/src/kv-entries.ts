import type { KV, KvEntry } from '@nats-io/kv';

/**
 * The live entries under `prefix` (`key.`, `runner.`, …), read from the bucket itself so a
 * listing is never stale; the reads go out together, not one round trip after another.
 */
export async function liveEntries(kv: KV, prefix: string): Promise<KvEntry[]> {
  const keys: string[] = [];
  for await (const key of await kv.keys(`${prefix}>`)) keys.push(key);
  const entries = await Promise.all(keys.map((key) => kv.get(key)));
  return entries.filter((e): e is KvEntry => e?.operation === 'PUT');
}
