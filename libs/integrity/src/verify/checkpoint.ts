import type { Hash } from '@runtrail/merkle';

/**
 * The body of a C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the origin line, the tree
 * size in decimal without leading zeros, the root hash in standard base64, then optional
 * extension lines. `@runtrail/merkle` writes it (`checkpointText`); this reads it back.
 */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Hash;
}

const SIZE = /^(?:0|[1-9][0-9]*)$/;

/** Reads a checkpoint's text (a signed note's text, ending in a newline). Throws when it is not one. */
export function parseCheckpointText(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new Error('malformed checkpoint: its text does not end in a newline');
  const [origin, size, root, ...extensions] = text.slice(0, -1).split('\n');
  if (root === undefined) throw new Error('malformed checkpoint: fewer than three lines');
  if (origin === '' || extensions.includes('')) throw new Error('malformed checkpoint: an empty line');
  const treeSize = Number(size);
  if (!SIZE.test(size as string) || !Number.isSafeInteger(treeSize)) throw new Error('malformed checkpoint: the tree size is not a decimal number');
  const hash = Buffer.from(root, 'base64');
  if (hash.length !== 32 || hash.toString('base64') !== root) throw new Error('malformed checkpoint: the root is not a 32-byte hash in standard base64');
  return { origin: origin as string, size: treeSize, root: hash };
}

/** The text a signed note signs, without checking any signature (the part before the last blank line). */
export function unverifiedNoteText(note: string): string {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('malformed note: no signature block');
  return note.slice(0, split + 1);
}
