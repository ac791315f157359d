import { headers } from '@nats-io/transport-node';
import { eventStreamName } from '@runtrail/contracts';
import type { NatsClient } from '@runtrail/messaging';
import { deadLettersTable, projectorCheckpointsTable, type DeadLetterRow } from '@runtrail/persistence';
import type { Client } from 'pg';

/** What became of one replayed dead letter. */
export interface Replay {
  streamSeq: number;
  replayedAs: number;
  /** `projected`, `dead again` (with the new reason), or `pending` when the projector has not reached it in time. */
  outcome: 'projected' | 'dead again' | 'pending';
  reason?: string;
}

const table = deadLettersTable.name;

/** Every dead letter, oldest first, for `npm run dead-letters -- list`. */
export async function listDeadLetters(db: Client): Promise<DeadLetterRow[]> {
  const { rows } = await db.query(`SELECT ${deadLettersTable.select()} FROM ${table} ORDER BY stream_seq`);
  return rows.map((r: Record<string, unknown>) => deadLettersTable.decode(r));
}

/**
 * Re-projects dead letters once their cause is fixed (docs/reliability.md#dead-letters): each
 * message is read back from the stream and published again, unchanged, on its subject, so
 * its copy is projected at the end of the stream like any new message, and a rebuild meets
 * it at the same place (the integrity log admits entries in stream order; the original
 * stays a dead letter). The copy's message id is derived from the original's sequence, so
 * running the command twice within the duplicate window publishes once; `replayed_as`
 * marks it replayed after that.
 */
export async function replayDeadLetters(db: Client, nats: NatsClient, namespace: string, only: number[] = [], waitMs = 30_000): Promise<Replay[]> {
  const stream = eventStreamName(namespace);
  const pending = (await listDeadLetters(db)).filter((d) => d.replayedAs === null && (only.length === 0 || only.includes(d.streamSeq)));
  const replays: Replay[] = [];
  for (const dead of pending) {
    const stored = await nats.jsm.streams.getMessage(stream, { seq: dead.streamSeq });
    if (!stored) throw new Error(`the stream no longer holds sequence ${dead.streamSeq}`);
    const h = headers();
    h.set('Runtrail-Replay-Of', String(dead.streamSeq));
    const ack = await nats.js.publish(stored.subject, stored.data, { msgID: `replay-${namespace}-${dead.streamSeq}`, headers: h });
    await db.query(`UPDATE ${table} SET replayed_as = $2 WHERE stream_seq = $1 AND replayed_as IS NULL`, [dead.streamSeq, ack.seq]);
    replays.push({ streamSeq: dead.streamSeq, replayedAs: ack.seq, outcome: 'pending' });
  }
  if (replays.length) await outcomes(db, replays, waitMs);
  return replays;
}

/** Waits (at most `waitMs`) for the projector to pass every copy, then says what each became. */
async function outcomes(db: Client, replays: Replay[], waitMs: number): Promise<void> {
  const last = Math.max(...replays.map((r) => r.replayedAs));
  const deadline = Date.now() + waitMs;
  for (;;) {
    const { rows } = await db.query<{ last_seq: string }>(`SELECT max(last_seq) AS last_seq FROM ${projectorCheckpointsTable.name}`);
    if (Number(rows[0]?.last_seq ?? 0) >= last) break;
    if (Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  const { rows } = await db.query<{ stream_seq: string; reason: string }>(`SELECT stream_seq, reason FROM ${table} WHERE stream_seq = ANY($1::bigint[])`, [
    replays.map((r) => r.replayedAs),
  ]);
  const again = new Map(rows.map((r) => [Number(r.stream_seq), r.reason]));
  for (const r of replays) {
    const reason = again.get(r.replayedAs);
    if (reason === undefined) r.outcome = 'projected';
    else Object.assign(r, { outcome: 'dead again', reason });
  }
}
