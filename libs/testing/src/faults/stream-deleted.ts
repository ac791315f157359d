import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { connect, headers, type MsgHdrs } from '@nats-io/transport-node';
import { projectorConsumers } from '../cleanup';
import { eventually } from '../http';
import type { TestStack } from '../test-stack';
import type { SubmittedEvent } from './classify';
import type { FaultLoad } from './load';
import { expectThat, pause, probe, projectorCaughtUp, readiness } from './observe';
import type { InjectedEvents } from './scenario';

/** What the projector logs, once per outage, when its stream or consumer is gone. */
const GONE = 'the event stream or the projector consumer is gone';

interface SavedMessage {
  seq: number;
  subject: string;
  data: Uint8Array;
  headers?: MsgHdrs;
}

/**
 * A fault: the event stream deleted under the running services, then restored. The load is
 * paused (no request in flight: everything acknowledged is in the stream), the projector
 * catches up, and every message of the stream is saved; the stream is deleted and the load
 * resumed. For `outageMs` the gateway answers 503 and never 202 (a probe every 300 ms), the
 * projector reports not ready (`stream: false`) and has logged an error once. The stream is
 * then restored as `nats stream backup` / `nats stream restore` would (no `nats` CLI here, and
 * nats.js has no snapshot API): made again with its config and the saved messages published
 * in order, with their headers, each checked to get its old sequence; the load is held
 * meanwhile. The projector makes its consumer again, reads the stream from the start and adds
 * no entry to the integrity log for what it had projected; the load goes on for `everyMs`.
 */
export function deleteStream(outageMs = 3000, everyMs = 2000): (stack: TestStack, load: FaultLoad) => Promise<InjectedEvents> {
  return async (stack, load) => {
    const key = await stack.createKey('faults-probe', ['events:write'], 'probe');
    const name = `${stack.namespace}-events`;
    const natsUrl = stack.env.NATS_URL as string;
    const projector = stack.stack.services.projector;
    const nc = await connect({ servers: natsUrl.split(',') });
    try {
      const jsm = await jetstreamManager(nc);
      await pause(everyMs);
      await load.pause();
      await projectorCaughtUp(stack);
      const { config, state } = await jsm.streams.info(name);
      const saved = await readAll(jetstream(nc), name, state.last_seq);
      expectThat(saved.length === state.messages && saved[0]?.seq === 1, `a stream numbered from 1 without gaps to restore, got ${state.first_seq}..${state.last_seq} (${state.messages})`);
      const entries = async () => Number((await stack.query<{ n: string }>('SELECT count(*)::text AS n FROM integrity_entries WHERE position <= $1', [state.last_seq]))[0]?.n);
      const entriesBefore = await entries();
      const errorsBefore = projector.output.split(GONE).length;

      await jsm.streams.delete(name);
      load.resume();
      const probes: SubmittedEvent[] = [];
      const statuses: number[] = [];
      for (const ends = Date.now() + outageMs; Date.now() < ends; ) {
        const { status, eventId } = await probe(stack, key);
        probes.push({ id: eventId, acknowledged: status === 202 });
        statuses.push(status);
        await pause(300);
      }
      expectThat(statuses.every((s) => s === 503), `only 503 while the stream is gone, got ${statuses.join(' ')}`);
      const notReady = await readiness(stack.projectorUrl);
      expectThat(notReady.status === 503 && notReady.checks.stream === false, `the projector not ready (stream: false) while the stream is gone, got ${JSON.stringify(notReady)}`);
      const errors = projector.output.split(GONE).length - errorsBefore;
      expectThat(errors === 1, `the projector to log "${GONE}" once in a ${outageMs} ms outage, got ${errors}`);

      await load.pause();
      await restore(jsm, jetstream(nc), config, saved);
      load.resume();
      await eventually(async () => ((await readiness(stack.projectorUrl)).status === 200 ? true : undefined), 30_000, 'the projector ready again');
      await eventually(async () => {
        const infos = await projectorConsumers(stack.namespace, natsUrl).catch(() => undefined);
        return infos && Math.max(...infos.map((i) => i.ack_floor.stream_seq)) >= state.last_seq ? true : undefined;
      }, 60_000, 'the projector reading the restored stream again');
      const entriesAfter = await entries();
      expectThat(entriesAfter === entriesBefore, `the restored stream re-projected without a new log entry: ${entriesBefore} entries before, ${entriesAfter} after`);
      await pause(everyMs);
      return { audit: probes };
    } finally {
      await nc.close();
    }
  };
}

/** Every message of the stream, in order, through an ordered consumer. */
async function readAll(js: JetStreamClient, stream: string, lastSeq: number): Promise<SavedMessage[]> {
  const saved: SavedMessage[] = [];
  if (lastSeq === 0) return saved;
  const messages = await (await js.consumers.get(stream)).consume();
  for await (const m of messages) {
    saved.push({ seq: m.seq, subject: m.subject, data: m.data, headers: m.headers });
    if (m.seq >= lastSeq) break;
  }
  await messages.close();
  return saved;
}

/**
 * Makes the stream again with its config and publishes the saved messages in order, each
 * expected to follow the one before, so each gets its old sequence. A message keeps its id
 * header (`Nats-Msg-Id`), and the restored stream its duplicate window, as a restore from a
 * backup would; an id that came back after the window (stored twice) goes without the second
 * time, or the broker would take it for a duplicate.
 */
async function restore(jsm: JetStreamManager, js: JetStreamClient, config: StreamConfig, saved: SavedMessage[]): Promise<void> {
  await jsm.streams.add(config);
  const ids = new Set<string>();
  for (const m of saved) {
    const h = headers();
    for (const k of m.headers?.keys() ?? []) for (const v of m.headers?.values(k) ?? []) h.append(k, v);
    const id = h.get('Nats-Msg-Id');
    if (id && ids.has(id)) h.delete('Nats-Msg-Id');
    if (id) ids.add(id);
    const ack = await js.publish(m.subject, m.data, { headers: h, expect: { lastSequence: m.seq - 1 } });
    expectThat(ack.seq === m.seq && !ack.duplicate, `the restored message ${m.seq} at its old sequence, got ${ack.seq}${ack.duplicate ? ' (duplicate)' : ''}`);
  }
  const { state } = await jsm.streams.info(config.name);
  expectThat(state.last_seq === saved.length && state.messages === saved.length, `the restored stream to hold ${saved.length} messages, got ${state.messages} to ${state.last_seq}`);
}
