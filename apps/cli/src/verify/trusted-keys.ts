import { parseVerifierKey, type NoteVerifier } from '@runtrail/merkle';
import { VerifyInputError, readSmallFile } from './verify-input';

/**
 * `--public-key KEY`: a verifier key (`<name>+<hash>+<key>`, as `GET /v1/integrity/public-key`
 * answers it), or the path of a file of them, one a line: after a key rotation the older
 * keys still verify the older checkpoints. Blank lines and `#` comments are skipped.
 */
export async function readTrustedKeys(value: string): Promise<NoteVerifier[]> {
  let problem: string;
  try {
    return [parseVerifierKey(value)];
  } catch (error) {
    problem = (error as Error).message;
  }
  let text: string;
  try {
    text = await readSmallFile(value, '--public-key file');
  } catch (error) {
    throw new VerifyInputError(`--public-key is neither a verifier key (${problem}) nor a readable key file (${(error as Error).message})`);
  }
  const keys: NoteVerifier[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    try {
      keys.push(parseVerifierKey(trimmed));
    } catch (error) {
      throw new VerifyInputError(`--public-key file ${value} line ${i + 1}: ${(error as Error).message}`);
    }
  }
  if (keys.length === 0) throw new VerifyInputError(`--public-key file ${value} holds no verifier key`);
  return keys;
}
