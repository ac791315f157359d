import { CommanderError, type Command } from 'commander';
import { CliExit } from '../cli-exit';
import type { CliOutput } from '../program';
import type { VerifyFlags } from './verify-action';
import { VERIFY_INPUT_EXIT_CODE } from './verify-input';

const VERIFY_HELP = `
Checks an export of a tenant's integrity log (GET /v1/integrity/export) offline: it
opens no connection. Every entry's bytes against the log's leaf hash, every
checkpoint's signature (by one of the keys given, never the key the file names)
and root, and with --checkpoint, that the log extends a checkpoint saved earlier
(GET /v1/integrity/checkpoint).

KEY is a verifier key as GET /v1/integrity/public-key answers it (verifierKey), or
the path of a file of them, one a line: after a key rotation, give the older keys
too (the "previous" ones), so the older checkpoints verify.

Exit codes:
  0  everything verifies; one line on stdout: entries, checkpoints, the latest
     checkpoint's size and root
  1  a problem; the first one (lowest index) on stderr:
     index <i>, entry <id|->, <kind>: <detail>
     kind: modified, missing, inserted, reordered, bad-signature, inconsistent-checkpoint
  2  bad usage, an unreadable file, or a file that is not an export

Example:
  curl -H "Authorization: Bearer $KEY" "$QUERY/v1/integrity/export" > acme.ndjson
  runtrail verify --public-key keys.txt --checkpoint saved.note acme.ndjson
`;

/** `runtrail verify` (apps/cli/README.md#runtrail-verify): checks an integrity log export offline. */
export function registerVerifyCommand(program: Command, output: CliOutput): Command {
  return program
    .command('verify')
    .description('check an integrity log export offline: entries, checkpoint signatures and roots')
    .usage('--public-key <key> <file> [--checkpoint <note-file>]')
    .requiredOption('--public-key <key>', 'a verifier key, or a file of verifier keys (one a line)')
    .option('--checkpoint <note-file>', 'a checkpoint note saved earlier, which the log must extend')
    .argument('<file>', 'the export (NDJSON) to check')
    .addHelpText('after', VERIFY_HELP)
    // Usage errors exit 2 here, as an unreadable file does: 1 means the log failed.
    .exitOverride((error) => {
      throw error.exitCode === 0 ? error : new CommanderError(VERIFY_INPUT_EXIT_CODE, error.code, error.message);
    })
    .action(async (file: string, flags: VerifyFlags) => {
      // Loaded here, not at start: every `runtrail run` is spared the verifier's modules.
      const { verifyAction } = require('./verify-action') as typeof import('./verify-action');
      const code = await verifyAction(file, flags, output);
      if (code !== 0) throw new CliExit(code);
    });
}
