import { parseVerifierKey } from '@runtrail/merkle';
import type { CliOutput } from '../program';
import { readTrustedKeys } from './trusted-keys';
import { verifyExportFile } from './verify-export-file';
import { VERIFY_INPUT_EXIT_CODE, VerifyInputError, readSmallFile } from './verify-input';
import { problemLine, summaryLine, warnings } from './verify-report';

export interface VerifyFlags {
  publicKey: string;
  checkpoint?: string;
}

/** `runtrail verify`'s work: reads the keys and the saved note, checks the file, prints; resolves to the exit code. */
export async function verifyAction(file: string, flags: VerifyFlags, output: CliOutput): Promise<number> {
  try {
    const keys = await readTrustedKeys(flags.publicKey);
    // A note saved through a shell variable may have lost its final newline; it is not signed.
    const saved = flags.checkpoint === undefined ? undefined : (await readSmallFile(flags.checkpoint, '--checkpoint file')).replace(/\n?$/, '\n');
    const { header, result, savedSize } = await verifyExportFile(file, keys, saved);
    for (const line of warnings(header, parseVerifierKey(header.verifierKey), keys, result)) output.writeErr(`runtrail verify: warning: ${line}\n`);
    if (result.firstProblem !== null) {
      output.writeErr(`${problemLine(result.firstProblem)}\n`);
      return 1;
    }
    output.writeOut(`runtrail verify: ${summaryLine(result, savedSize)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof VerifyInputError)) throw error;
    output.writeErr(`runtrail verify: ${error.message}\n`);
    return VERIFY_INPUT_EXIT_CODE;
  }
}
