import { randomUUID } from 'node:crypto';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { THROWAWAY_KEY, THROWAWAY_RUNNER } from './admin-cases';
import type { Ledger, SentItem } from './ledger';
import { emptyListProblems, problemsOf, socketProblems, unclearRefusalProblems } from './oracle';
import type { SocketCase } from './protocol-cases';
import { THROWAWAY_SCHEDULE } from './schedule-cases';
import { sendOnSocket, type RawClient, type RawRequest, type RawResponse } from './raw-client';
import { materialise, type Markers } from './template';
import { allowedOn, effectiveExpect, type HttpCase, type WireMutation, type World } from './world';

const MAX_BODY_BYTES = 1024 * 1024;

function applyWire(text: string, wire: WireMutation | undefined, markers: string[]): Buffer {
  if (!wire) return Buffer.from(text, 'utf8');
  switch (wire.kind) {
    case 'insertBytes': {
      // Inside a string: right after the first marker, else after the first quote.
      const marker = markers.find((m) => text.includes(m));
      const at = marker ? text.indexOf(marker) + marker.length : text.indexOf('"') + 1;
      const head = Buffer.from(text.slice(0, at), 'utf8');
      return Buffer.concat([head, Buffer.from(wire.bytes), Buffer.from(text.slice(at), 'utf8')]);
    }
    case 'truncate': {
      const bytes = Buffer.from(text, 'utf8');
      return bytes.subarray(0, Math.floor(bytes.length * wire.keep));
    }
    case 'prefix':
      return Buffer.concat([Buffer.from(wire.bytes), Buffer.from(text, 'utf8')]);
    case 'suffix':
      return Buffer.from(text + wire.text, 'utf8');
    case 'replace':
      return Buffer.from(wire.text, 'utf8');
    case 'appendMember':
      return Buffer.from(text.endsWith('}') ? `${text.slice(0, -1)}${wire.text}}` : text, 'utf8');
    case 'encoding': {
      const raw = Buffer.from(text, 'utf8');
      if (!wire.compressed) return raw;
      return wire.encoding === 'gzip' ? gzipSync(raw) : wire.encoding === 'deflate' ? deflateSync(raw) : brotliCompressSync(raw);
    }
    case 'oversize': {
      const pad = `"pad":"${'x'.repeat(MAX_BODY_BYTES)}"`;
      return Buffer.from(text.startsWith('{') ? `{${pad},${text.slice(1)}` : `[{${pad}},${text}]`, 'utf8');
    }
  }
}

function eventIdOf(itemText: string): string | undefined {
  try {
    const parsed = JSON.parse(itemText) as { eventId?: unknown };
    return typeof parsed.eventId === 'string' ? parsed.eventId.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

export interface Exchange {
  req: RawRequest;
  res: RawResponse;
  items: SentItem[];
}

function reproduction(c: HttpCase, req: RawRequest, res: RawResponse | undefined, problems: string[]): string {
  const body = req.body === undefined ? '' : req.body.length > 600 ? `${req.body.subarray(0, 600).toString('utf8')}… (${req.body.length} bytes)` : req.body.toString('utf8');
  const path = req.path.length > 400 ? `${req.path.slice(0, 400)}… (${req.path.length} chars)` : req.path;
  return [
    `${problems.join('; ')}`,
    `  case: ${c.label} [${c.cred.name}]`,
    `  request: ${req.method} ${c.service}${path}`,
    `  headers: ${JSON.stringify({ ...req.headers, authorization: req.headers.authorization ? `${req.headers.authorization.slice(0, 20)}…` : undefined })}`,
    `  body: ${JSON.stringify(body)}`,
    res ? `  answer: ${res.status} ${res.text.slice(0, 500)}` : '  answer: none',
  ].join('\n');
}

/** Sends generated cases and checks every answer; throws (for fast-check) on the first problem. */
export class Harness {
  constructor(
    private readonly world: World,
    private readonly clients: { ingest: RawClient; query: RawClient },
    private readonly markers: Markers,
    readonly ledger: Ledger,
  ) {}

  private resolvePath(path: string): string {
    const pick = (ids: string[]) => (ids.length ? ids[Math.floor(Math.random() * ids.length)] : randomUUID());
    const a = this.world.attacker;
    return path
      .replace(THROWAWAY_KEY, () => pick(a.throwawayKeyIds))
      .replace(THROWAWAY_RUNNER, () => pick(a.throwawayRunnerIds))
      .replace(THROWAWAY_SCHEDULE, () => pick(a.throwawayScheduleIds));
  }

  build(c: HttpCase): { req: RawRequest; items: SentItem[] } {
    const headers: Record<string, string> = { ...c.headers };
    if (c.cred.header !== undefined) headers.authorization = c.cred.header;
    let body: Buffer | undefined;
    let items: SentItem[] = [];
    if (c.body) {
      const { text, items: made } = materialise(c.body.template, this.markers);
      body = applyWire(text, c.body.wire, made.map((i) => i.marker));
      const contentType = c.body.contentType === undefined ? 'application/json' : c.body.contentType;
      if (contentType !== null) headers['content-type'] = contentType;
      if (c.body.wire?.kind === 'encoding') headers['content-encoding'] = c.body.wire.encoding;
      const sent = body.toString('latin1');
      items = made
        .filter((i) => sent.includes(i.marker))
        .map((i) => ({ marker: i.marker, sink: c.sink, dedupeKey: c.sink === 'audit' ? (eventIdOf(i.text) ?? `generated:${i.marker}`) : undefined }));
    }
    return { req: { method: c.method, path: this.resolvePath(c.path), headers, body }, items };
  }

  async run(property: string, c: HttpCase): Promise<void> {
    const { req, items } = this.build(c);
    let res: RawResponse;
    const start = Date.now();
    try {
      res = await (c.service === 'ingest' ? this.clients.ingest : this.clients.query).send(req);
      this.ledger.timed(`${c.label} (${res.status})`, Date.now() - start);
    } catch (err) {
      this.ledger.count(property, 'no answer');
      const message = reproduction(c, req, undefined, [`no answer: ${(err as Error).message}`]);
      this.ledger.failures.push(message);
      throw new Error(message);
    }
    this.ledger.count(property, res.status);
    this.ledger.record(items, res.status);
    if (res.status >= 200 && res.status < 300) this.remember(c, res);
    const problems = [
      ...problemsOf(this.world, req, res, effectiveExpect(c)),
      ...(c.emptyList ? emptyListProblems(res) : []),
      ...(c.mentions && allowedOn(c) ? unclearRefusalProblems(res, c.mentions) : []),
    ];
    if (problems.length) {
      const message = reproduction(c, req, res, problems);
      this.ledger.failures.push(message);
      throw new Error(message);
    }
  }

  /** Keys, runners and schedules created by generated requests may be deleted by later ones. */
  private remember(c: HttpCase, res: RawResponse): void {
    if (!c.onCreated) return;
    try {
      const id = (JSON.parse(res.text) as { id?: unknown }).id;
      if (typeof id !== 'string') return;
      if (c.onCreated === 'key') this.world.attacker.throwawayKeyIds.push(id);
      if (c.onCreated === 'runner') this.world.attacker.throwawayRunnerIds.push(id);
      if (c.onCreated === 'schedule') this.world.attacker.throwawayScheduleIds.push(id);
    } catch {
      // not our concern here; the oracle judges the answer
    }
  }

  async runSocket(property: string, c: SocketCase): Promise<void> {
    const client = c.service === 'ingest' ? this.clients.ingest : this.clients.query;
    const answer = await sendOnSocket(client.host, client.port, Buffer.from(c.bytes, 'latin1'));
    const statuses = [...answer.text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => m[1]);
    this.ledger.count(property, statuses.length ? statuses[statuses.length - 1] : answer.status);
    const problems = socketProblems(this.world, c.bytes, answer.status, answer.text);
    if (problems.length) {
      const message = `${problems.join('; ')}\n  case: ${c.label}\n  bytes: ${JSON.stringify(c.bytes.slice(0, 400))}\n  answer: ${JSON.stringify(answer.text.slice(0, 500))}`;
      this.ledger.failures.push(message);
      throw new Error(message);
    }
  }
}
