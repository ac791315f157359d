import { open } from 'node:fs/promises';

/** Exit code of `runtrail verify` for bad usage, an unreadable file or one that is not an export. */
export const VERIFY_INPUT_EXIT_CODE = 2;

/** Something `runtrail verify` was given that it cannot use: it says what, and exits 2. */
export class VerifyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyInputError';
  }
}

/** Key files and saved notes are a few hundred bytes; a larger file is not one. */
export const MAX_SMALL_FILE_BYTES = 64 * 1024;

/** Reads a small text file whole, refusing one over the limit before reading it. */
export async function readSmallFile(path: string, what: string): Promise<string> {
  let text: string;
  try {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      if (size > MAX_SMALL_FILE_BYTES) throw new VerifyInputError(`${what} ${path} is larger than ${MAX_SMALL_FILE_BYTES} bytes`);
      text = await file.readFile('utf8');
    } finally {
      await file.close();
    }
  } catch (error) {
    if (error instanceof VerifyInputError) throw error;
    throw new VerifyInputError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
  return text;
}
