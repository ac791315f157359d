import { generateCommandSigningKeys } from '@runtrail/contracts';
import type { KeyStore } from '@runtrail/auth';
import { kvCreateOnce } from '@runtrail/messaging';

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
  const { entry } = await kvCreateOnce(store.kv, ENTRY, () => JSON.stringify(generateCommandSigningKeys()));
  return entry.json<CommandSigningKeys>();
}
