import 'reflect-metadata';
import { NatsClient } from '@runtrail/messaging';
import { loadConfig } from '@runtrail/platform';
import { Command, InvalidArgumentError } from 'commander';
import { Client } from 'pg';
import pino from 'pino';
import { ProjectorConfig } from '../config/projector.config';
import { listDeadLetters, replayDeadLetters } from './replay-dead-letters';

/**
 * `npm run dead-letters -- list` and `npm run dead-letters -- replay [SEQ...]`
 * (docs/reliability.md#dead-letters), with the projector's settings from the environment.
 * Exit 0 when every replayed message was projected, 1 otherwise.
 */
async function main(): Promise<void> {
  const config = loadConfig(ProjectorConfig);
  const db = new Client({ connectionString: config.DATABASE_URL, application_name: 'runtrail-dead-letters' });
  await db.connect();
  const program = new Command('dead-letters').description('Lists and re-projects the messages the projector could not project.');
  program.command('list').description('every dead letter with its stream sequence, reason and replay').action(async () => {
    for (const d of await listDeadLetters(db)) {
      out(`${d.streamSeq}\t${d.createdAt}\t${d.replayedAs === null ? 'not replayed' : `replayed as ${d.replayedAs}`}\t${d.subject}\t${d.reason}`);
    }
  });
  program
    .command('replay')
    .description('publishes each dead letter (all not yet replayed, or the sequences given) again, once its cause is fixed')
    .argument('[seq...]', 'stream sequences', (v: string, all: number[] = []) => [...all, sequence(v)])
    .action(async (seqs: number[] | undefined) => {
      const log = pino({ name: 'runtrail-dead-letters', level: config.LOG_LEVEL });
      const nats = await NatsClient.connect({ servers: config.natsServers, name: 'runtrail-dead-letters', waitOnFirstConnect: false }, log);
      try {
        const replays = await replayDeadLetters(db, nats, config.RUNTRAIL_NAMESPACE, seqs ?? []);
        for (const r of replays) out(`${r.streamSeq} -> ${r.replayedAs}\t${r.outcome}${r.reason ? `\t${r.reason}` : ''}`);
        if (replays.length === 0) out('no dead letter to replay');
        if (replays.some((r) => r.outcome !== 'projected')) process.exitCode = 1;
      } finally {
        await nats.nc.close();
      }
    });
  try {
    await program.parseAsync(process.argv);
  } finally {
    await db.end();
  }
}

function sequence(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('a stream sequence is a positive integer');
  return n;
}

/** The command's answer, one line on stdout (its logs are JSON on stdout too, at LOG_LEVEL). */
function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`dead-letters failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
