import { STATUS_CODES } from 'node:http';
import querystring from 'node:querystring';
import type { RawRequest, RawResponse } from './raw-client';
import type { Expect, World } from './world';

/**
 * What may never be in an error answer unless the request itself carried it (error
 * messages may echo input, and echoing the caller's own bytes leaks nothing).
 */
const INTERNALS: RegExp[] = [
  /\n\s+at\s/,
  /\bat (?:async )?[\w$.<>[\]]+ \([^)]*:\d+:\d+\)/,
  /[\w-]+\.(?:ts|js|mjs|cjs):\d+/,
  /node_modules/,
  /syntax error at or near/i,
  /violates [\w ]*constraint/i,
  /relation "[^"]*"/,
  /column "[^"]*"/,
  /invalid input syntax for/i,
  /duplicate key value/i,
  /QueryFailedError|TypeORMError|EntityNotFound|ECONNREFUSED|ECONNRESET/,
  /\bSELECT\s+(?:\*|[\w".]+(?:\s*,\s*[\w".]+)*)\s+FROM\s+[\w".]+/i,
  /\bINSERT\s+INTO\s+[\w".]+\s*\(/i,
  /TypeError|RangeError|ReferenceError|SyntaxError: Unexpected/,
  /Maximum call stack/i,
  /\[object Object\]/,
];

/**
 * Everything the caller sent, as text the service could echo: the raw and the
 * percent-decoded path, the header values and the body (as UTF-8 and as Latin-1).
 */
export function requestText(req: RawRequest): string {
  let decoded = req.path;
  try {
    decoded = querystring.unescape(req.path);
  } catch {
    // keep the raw path
  }
  return [req.method, req.path, decoded, decoded.replace(/\+/g, ' '), ...Object.values(req.headers), req.body?.toString('utf8') ?? '', req.body?.toString('latin1') ?? ''].join('\n');
}

/** Every object inside a parsed JSON value, iteratively (answers can be large). */
function* objects(value: unknown): Generator<Record<string, unknown>> {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (v !== null && typeof v === 'object') {
      yield v as Record<string, unknown>;
      stack.push(...Object.values(v));
    }
  }
}

function statusMatches(status: number, expect: Expect): boolean {
  if (expect === 'any') return true;
  if (status === 429) return true; // rate limited is always an acceptable answer
  if (expect === 'accept') return status >= 200 && status < 300;
  if (expect === 'reject') return status >= 400 && status < 500;
  return status === expect;
}

/**
 * Everything wrong with one answer. "Leak" is defined as bytes of the victim tenant's
 * stored data or secrets that the request did not itself carry: the victim's marker
 * (in every string field of its records), its tenant id, its key and runner token,
 * the root key; plus, whatever the request carried, any JSON object that is a record
 * of the victim tenant (`tenantId` equal to it) and any CSV export naming it. The
 * victim's record ids are deliberately given to the attacker, so they are not secret.
 */
export function problemsOf(world: World, req: RawRequest, res: RawResponse, expect: Expect): string[] {
  const problems: string[] = [];
  const sent = requestText(req);
  const sentLower = sent.toLowerCase();
  const headerText = Object.entries(res.headers)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : (v ?? '')}`)
    .join('\n');
  const answer = `${headerText}\n${res.text}`;

  if (res.status >= 500) problems.push(`answered ${res.status}`);
  if (!statusMatches(res.status, expect)) problems.push(`answered ${res.status}, expected ${expect === 'accept' ? '2xx' : expect === 'reject' ? '4xx' : expect}`);
  if (res.status === 429 && res.headers['retry-after'] === undefined) problems.push('429 without Retry-After');

  // The error body of the contract, and nothing of the server's insides in it.
  // HEAD answers have no body; a 431 comes from Node's HTTP parser, before the app.
  if (res.status >= 400 && req.method !== 'HEAD' && !(res.status === 431 && res.body.length === 0)) {
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      problems.push(`error answer is not JSON: ${JSON.stringify(res.text.slice(0, 200))}`);
    }
    if (body !== undefined) {
      const b = body as { statusCode?: unknown; error?: unknown; message?: unknown; errorId?: unknown };
      const messageOk = typeof b.message === 'string' || (Array.isArray(b.message) && b.message.length > 0 && b.message.every((m) => typeof m === 'string'));
      if (b.statusCode !== res.status || b.error !== STATUS_CODES[res.status] || !messageOk) {
        problems.push(`error body is not {statusCode, error, message}: ${res.text.slice(0, 300)}`);
      }
      if (!String(res.headers['content-type'] ?? '').startsWith('application/json')) problems.push(`error answer has content type ${res.headers['content-type']}`);
    }
    for (const pattern of INTERNALS) {
      const hit = pattern.exec(res.text);
      if (hit && !sent.includes(hit[0])) problems.push(`error answer shows internals (${pattern}): ${JSON.stringify(hit[0])} in ${res.text.slice(0, 300)}`);
    }
  }

  // Secrets: never, unless the caller put them in the path or body itself.
  const pathAndBody = `${req.path}\n${req.body?.toString('utf8') ?? ''}`;
  const a = world.attacker;
  for (const [what, secret] of [
    ['the root key', world.rootKey],
    ["the victim's key", world.victim.key],
    ["the victim's runner token", world.victim.runnerToken],
    ["the attacker's key", a.key],
    ["the attacker's read-only key", a.readKey],
    ['the revoked key', a.revokedKey],
    ["the attacker's runner token", a.runnerToken],
  ] as const) {
    if (answer.includes(secret) && !pathAndBody.includes(secret)) problems.push(`answer contains ${what}`);
  }

  // The victim's data.
  const v = world.victim;
  if (answer.includes(v.marker) && !sent.includes(v.marker)) problems.push("LEAK: answer contains the victim's marker");
  if (answer.toLowerCase().includes(v.tenant) && !sentLower.includes(v.tenant)) problems.push("LEAK: answer contains the victim's tenant id");
  if (String(res.headers['content-type'] ?? '').startsWith('text/csv') && res.text.includes(v.tenant)) problems.push("LEAK: a CSV export names the victim's tenant");
  if (String(res.headers['content-type'] ?? '').includes('json') && res.text.includes(v.tenant)) {
    try {
      for (const o of objects(JSON.parse(res.text))) {
        if (o.tenantId === v.tenant) {
          problems.push(`LEAK: answer holds a record of the victim's tenant: ${JSON.stringify(o).slice(0, 300)}`);
          break;
        }
      }
    } catch {
      // not JSON after all; the byte checks above still apply
    }
  }
  return problems;
}

/** A 200 that must be an empty list: a filter naming only the victim's records finds nothing of the caller's. */
export function emptyListProblems(res: RawResponse): string[] {
  if (res.status !== 200) return [];
  try {
    const body: unknown = JSON.parse(res.text);
    return Array.isArray(body) && body.length === 0 ? [] : [`LEAK: expected an empty list, got ${res.text.slice(0, 300)}`];
  } catch {
    return [`expected an empty JSON list, got ${JSON.stringify(res.text.slice(0, 200))}`];
  }
}

/**
 * A refusal that says what is wrong: its message names at least one of `names`. (The
 * shape of the error body is `problemsOf`'s to judge.)
 */
export function unclearRefusalProblems(res: RawResponse, names: string[]): string[] {
  if (res.status < 400 || res.status >= 500 || res.status === 429) return [];
  let message: unknown;
  try {
    message = (JSON.parse(res.text) as { message?: unknown }).message;
  } catch {
    return [];
  }
  const text = Array.isArray(message) ? message.join('\n') : String(message);
  return names.some((n) => text.includes(n)) ? [] : [`the ${res.status} does not say what is wrong (expected a message naming ${names.join(' or ')}): ${text.slice(0, 300)}`];
}

/** The checks that apply to a raw socket exchange: no 5xx, no internals, no leak. */
export function socketProblems(world: World, sentBytes: string, status: number | 'closed' | 'timeout', text: string): string[] {
  const problems: string[] = [];
  // Several answers may come back (pipelining, 100 Continue): judge each one.
  const answers = [...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m, i, all) => ({
    status: Number(m[1]),
    text: text.slice(m.index, i + 1 < all.length ? all[i + 1].index : text.length),
  }));
  if (answers.some((a) => a.status >= 500)) problems.push(`answered ${answers.map((a) => a.status).join(', ')}`);
  const body = answers.map((a) => a.text.split('\r\n\r\n').slice(1).join('\r\n\r\n')).join('\n');
  for (const a of answers.filter((x) => x.status >= 400)) {
    for (const pattern of INTERNALS) {
      const hit = pattern.exec(a.text);
      if (hit && !sentBytes.includes(hit[0])) problems.push(`error answer shows internals (${pattern}): ${JSON.stringify(hit[0])}`);
    }
  }
  if (text.includes(world.victim.marker)) problems.push("LEAK: answer contains the victim's marker");
  if (text.includes(world.victim.tenant) && !sentBytes.includes(world.victim.tenant)) problems.push("LEAK: answer contains the victim's tenant id");
  for (const secret of [world.rootKey, world.victim.key, world.victim.runnerToken, world.attacker.key]) {
    if (body.includes(secret)) problems.push('answer contains a secret');
  }
  void status;
  return problems;
}
