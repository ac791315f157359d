/**
 * `npm run bench:streams`: how fast one stream delivers, and what ten active streams cost
 * ingest (issue 16). Not a test: it prints figures and the baselines it ran beside them, and
 * never fails on them.
 *
 *   npm run bench:streams                                        # 100,000 events, 4 rounds of 20,000
 *   BENCH_EVENTS=20000 BENCH_ROUND_EVENTS=5000 npm run bench:streams   # a quick try
 *
 * One stack on free ports (its own database and namespace). The receivers are webhook
 * receivers in this process that check every signature, as a customer's would (their CPU is
 * on the same two cores as the services; said in the output).
 *
 * 1. Seeds BENCH_EVENTS audit events through ingest and waits until they are projected.
 * 2. Delivery: a webhook stream from the beginning; records per second from its creation
 *    until the receiver holds every seeded event. Baseline beside it: the same records read
 *    as a JSON download of GET /v1/audit (the read path's own rate).
 * 3. Ingest with and without streams: BENCH_ROUNDS rounds (default 4) alternating no stream
 *    and ten streams (webhook, from now, all matching), each posting BENCH_ROUND_EVENTS events
 *    and timing until they are projected (and, with streams, until all ten delivered them).
 */
import { Client } from 'pg';
import { databaseUrl, request, startTestStack, startWebhookReceiver, type RecordingReceiver, type TestStack } from '@runtrail/testing';
import { positiveInt } from './bench-config';
import { postEach, waitForProjected } from './end-to-end-run';
import { eventJson } from './event-generator';
import { machineLine } from './report';

const TENANT = 'acme';
const SECRET = 'bench-webhook-secret-0123456789';
const BATCH = 500;
const CONCURRENCY = 4;
const TIMEOUT_MS = 900_000;

function log(message: string): void {
  console.log(`[bench:streams] ${message}`);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const round = (n: number) => Math.round(n).toLocaleString('en-US');

/** Posts `count` generated events in requests of BATCH; resolves with the performance.now() of the start. */
async function post(t: TestStack, key: string, count: number, offset: number): Promise<number> {
  const now = Date.now();
  const bodyAt = (i: number): string => {
    const first = i * BATCH;
    const parts: string[] = [];
    for (let k = first; k < Math.min(first + BATCH, count); k++) parts.push(eventJson(offset + k, now));
    return `[${parts.join(',')}]`;
  };
  const started = performance.now();
  await postEach(t.ingestUrl, key, Math.ceil(count / BATCH), bodyAt, CONCURRENCY);
  return started;
}

/** Resolves with the performance.now() at which the receiver held `count` records of the bench's events (its own entries aside). */
async function delivered(r: RecordingReceiver, count: number): Promise<number> {
  const deadline = performance.now() + TIMEOUT_MS;
  for (;;) {
    if (r.records.filter((x) => x.entityType !== 'ApiKey' && x.entityType !== 'Stream').length >= count) return performance.now();
    if (performance.now() > deadline) throw new Error(`the receiver got only ${r.records.length} of ${count} records`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

async function createStream(t: TestStack, key: string, url: string, from: 'now' | 'beginning', name: string): Promise<string> {
  const res = await request<{ id: string }>('POST', `${t.queryUrl}/v1/streams`, { key, body: { name, kind: 'webhook', url, secret: SECRET, from } });
  if (res.status !== 201) throw new Error(`stream creation answered ${res.status}: ${res.text}`);
  return res.body.id;
}

async function main(): Promise<void> {
  const events = positiveInt('BENCH_EVENTS', 100_000);
  const roundEvents = positiveInt('BENCH_ROUND_EVENTS', 20_000);
  const rounds = positiveInt('BENCH_ROUNDS', 4, 20);
  log(machineLine());
  const t = await startTestStack('benchstreams');
  const db = new Client({ connectionString: databaseUrl(t.database) });
  await db.connect();
  const receivers: RecordingReceiver[] = [];
  try {
    const key = await t.createKey(TENANT, ['events:write', 'audit:read', 'admin'], 'bench');
    log(`seeding ${round(events)} events`);
    await post(t, key, events, 0);
    await waitForProjected(t, db, TENANT, events, TIMEOUT_MS);

    // 2. One stream from the beginning, and the download of the same records beside it.
    const one = await startWebhookReceiver(SECRET);
    receivers.push(one);
    const created = performance.now();
    const streamId = await createStream(t, key, one.url, 'beginning', 'delivery');
    const done = await delivered(one, events);
    const deliveryRate = events / ((done - created) / 1000);
    const requests = one.requests;
    await request('DELETE', `${t.queryUrl}/v1/streams/${streamId}`, { key });
    const downloadStart = performance.now();
    const download = await request<unknown[]>('GET', `${t.queryUrl}/v1/audit?download=true`, { key });
    const downloadRate = (download.body as unknown[]).length / ((performance.now() - downloadStart) / 1000);
    log(`one stream: ${round(deliveryRate)} records/s (${requests} requests); download of the same records: ${round(downloadRate)} records/s`);

    // 3. Ingest with no stream and with ten, alternating.
    const without: number[] = [];
    const withTen: number[] = [];
    const deliveredTen: number[] = [];
    let offset = events;
    let expected = events;
    for (let r = 0; r < rounds; r++) {
      const ten = r % 2 === 1;
      const streamIds: string[] = [];
      const tenReceivers: RecordingReceiver[] = [];
      if (ten) {
        for (let s = 0; s < 10; s++) {
          const receiver = await startWebhookReceiver(SECRET);
          tenReceivers.push(receiver);
          receivers.push(receiver);
          streamIds.push(await createStream(t, key, receiver.url, 'now', `load ${s}`));
        }
      }
      const started = await post(t, key, roundEvents, offset);
      offset += roundEvents;
      expected += roundEvents;
      const projected = await waitForProjected(t, db, TENANT, expected, TIMEOUT_MS);
      const rate = roundEvents / ((projected - started) / 1000);
      (ten ? withTen : without).push(rate);
      if (ten) {
        const all = await Promise.all(tenReceivers.map((x) => delivered(x, roundEvents)));
        deliveredTen.push((roundEvents * 10) / ((Math.max(...all) - started) / 1000));
        for (const id of streamIds) await request('DELETE', `${t.queryUrl}/v1/streams/${id}`, { key });
      }
      log(`round ${r + 1}: ${ten ? 'ten streams' : 'no stream'}: ingest to projected ${round(rate)} events/s${ten ? `; all ten delivered at ${round(deliveredTen[deliveredTen.length - 1])} records/s in all` : ''}`);
    }

    const ratio = median(withTen) / median(without);
    console.log('');
    console.log('figure                                   value');
    console.log(`stream_delivery_records_per_s            ${round(deliveryRate)}`);
    console.log(`baseline_download_records_per_s          ${round(downloadRate)}`);
    console.log(`ingest_events_per_s_no_stream (median)   ${round(median(without))}   rounds: ${without.map(round).join(', ')}`);
    console.log(`ingest_events_per_s_ten_streams (median) ${round(median(withTen))}   rounds: ${withTen.map(round).join(', ')}`);
    console.log(`ten_streams_delivered_records_per_s      ${round(median(deliveredTen))}   (all ten together)`);
    console.log(`ratio ingest ten streams / no stream     ${ratio.toFixed(2)}`);
    console.log('(receivers, load generator and services share this machine\'s cores)');
  } finally {
    await Promise.all(receivers.map((r) => r.stop()));
    await db.end();
    await t.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
