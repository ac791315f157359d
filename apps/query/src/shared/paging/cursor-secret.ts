import { randomBytes } from 'node:crypto';
import type { KeyStore } from '@runtrail/auth';
import { kvCreateOnce } from '@runtrail/messaging';

/** One random secret per installation, created by whichever replica starts first. */
export async function loadCursorSecret(store: KeyStore): Promise<Buffer> {
  const { entry } = await kvCreateOnce(store.kv, 'cursor-secret', () => randomBytes(32).toString('base64'));
  return Buffer.from(entry.string(), 'base64');
}
