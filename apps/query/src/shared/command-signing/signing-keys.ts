import { generateCommandSigningKeys } from '@runtrail/contracts';
import type { KeyStore } from '@runtrail/auth';

const ENTRY = 'command-signing-key';

/** Injection token of the installation's CommandSigningKeys. */
export const COMMAND_SIGNING_KEYS = Symbol('COMMAND_SIGNING_KEYS');

export interface CommandSigningKeys {
  privateKeyPem: string;
  publicKeyPem: string;
}

/**
 * The installation's Ed25519 key pair for commands, created by whichever query replica
 * starts first, kept in the auth bucket beside the key hashes (ADR 0007).
 */
export async function loadCommandSigningKeys(store: KeyStore): Promise<CommandSigningKeys> {
  const existing = await store.kv.get(ENTRY);
  if (existing?.operation === 'PUT') return existing.json<CommandSigningKeys>();
  try {
    await store.kv.create(ENTRY, JSON.stringify(generateCommandSigningKeys()));
  } catch {
    // created concurrently by another replica
  }
  const entry = await store.kv.get(ENTRY);
  if (entry?.operation !== 'PUT') throw new Error('the command signing key could not be created');
  return entry.json<CommandSigningKeys>();
}
