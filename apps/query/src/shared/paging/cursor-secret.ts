import { randomBytes } from 'node:crypto';
import type { KeyStore } from '@runtrail/auth';

const ENTRY = 'cursor-secret';

/** One random secret per installation, created by whichever replica starts first. */
export async function loadCursorSecret(store: KeyStore): Promise<Buffer> {
  const existing = await store.kv.get(ENTRY);
  if (existing?.operation === 'PUT') return Buffer.from(existing.string(), 'base64');
  try {
    await store.kv.create(ENTRY, randomBytes(32).toString('base64'));
  } catch {
    // created concurrently by another replica
  }
  const entry = await store.kv.get(ENTRY);
  if (entry?.operation !== 'PUT') throw new Error('the cursor secret could not be created');
  return Buffer.from(entry.string(), 'base64');
}
