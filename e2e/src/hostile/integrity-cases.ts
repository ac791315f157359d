import querystring from 'node:querystring';
import fc from 'fast-check';
import { credential } from './credentials';
import { EXTRA_FIELDS, bad, bodyOf, noControlsVerdict, ok, printable, verdictOf, type Field, type TextVerdict } from './fields';
import { PATH_TWISTS, pairs, queryString, queryVerdict, valueFor } from './query-cases';
import { RawJson, objectOf, type Template } from './template';
import { BAD_FILTER_DATES, INJECTION, rarely } from './text';
import { unsharedEntryIds, type Expect, type HttpCase, type RouteSpec, type World } from './world';

/**
 * Issue 13's integrity log (docs/api.md#integrity-log) and erasure (CONTRACT §6) under
 * hostile input. The log's routes take query parameters only, `tenant` among them: any
 * `tenant` but the caller's own is refused (403 for another tenant's id, 400 for what is
 * no tenant id), the victim's entries answer like unknown ones (a proof 404, `ref=` an
 * empty list), and a refusal names what is wrong. Erasure takes a body: a refused one
 * stores nothing, the victim's tenant is 403, and an accepted erasure (of a value the
 * victim holds too, sometimes) leaves the victim's records and log as they were (checked
 * at the end with its other records).
 */

const READ: RouteSpec = { scopes: ['audit:read'] };
const MAX = String(Number.MAX_SAFE_INTEGER);
const OVER_MAX = String(Number.MAX_SAFE_INTEGER + 1);

/** Tree sizes (`size`, `from`, `to`): 1 to 2^53 - 1, leading zeros read as the number. */
const SIZES = ['1', '2', '7', '40', '05', MAX];
const NOT_SIZES = ['0', '-1', '1.5', '1e3', ' 5', '5 ', '0x10', '+5', '٣', '５', '', 'NaN', OVER_MAX, '9'.repeat(17), "1' OR '1'='1", '1;DROP TABLE integrity_entries', '1\u0000'];

/** Entry indices (`start`, `end` of the entries): 0 to 2^53 - 1. */
const INDICES = ['0', '1', '3', '100', MAX];
const NOT_INDICES = ['-1', '1.5', '1e3', ' 1', '0x10', '', 'x', '2024-01-01', '٣', OVER_MAX, '9'.repeat(17), "0' OR '1'='1"];

/** The checkpoints' bounds: a size, or a date (a date-only `end` covers its whole day, so equal bounds never cross). */
const BOUND_SIZES = ['0', '1', '3', MAX];
const BOUND_DATES = ['2020-01-01', '2024-06-01T12:00:00Z', '2099-12-31'];
const NOT_BOUNDS = [OVER_MAX, '-1', '1.5', 'x', '2'.repeat(41), ...BAD_FILTER_DATES.filter((d) => !/^\d+$/.test(d))];

const LIMITS = ['1', '40', '1000'];
const NOT_LIMITS = ['0', '1001', '-1', '1.5', 'x', ''];
const OFFSETS = ['0', '5'];
const NOT_OFFSETS = ['-1', '1.5', 'x', '1000000000'];

/** One generated query parameter; `value` undefined leaves it out, an array repeats it. */
interface Param {
  name: string;
  value?: string | string[];
  verdict: 'ok' | 'bad';
}

const present = (name: string, verdict: Param['verdict']) => (value: string | string[]): Param => ({ name, value, verdict });

/** A parameter's valid and invalid values; left out is valid unless it is required. */
function param(name: string, good: string[], wrong: string[], required = false): fc.Arbitrary<Param> {
  return fc.oneof(
    { weight: required ? 1 : 4, arbitrary: fc.constant<Param>({ name, verdict: required ? 'bad' : 'ok' }) },
    { weight: required ? 10 : 6, arbitrary: fc.constantFrom(...good).map(present(name, 'ok')) },
    { weight: 1, arbitrary: fc.constantFrom(...wrong).map(present(name, 'bad')) },
    { weight: 1, arbitrary: fc.constantFrom(...good).map((v) => present(name, 'bad')([v, v])) },
  );
}

const paging = () => [param('limit', LIMITS, NOT_LIMITS), param('offset', OFFSETS, NOT_OFFSETS)];

/** A valid bound as a number to compare with another of its kind: digits a size or an index, else a date. */
function boundOf(p: Param): { kind: 'number' | 'date'; n: number } | undefined {
  if (p.verdict === 'bad' || typeof p.value !== 'string') return undefined;
  return /^\d+$/.test(p.value) ? { kind: 'number', n: Number(p.value) } : { kind: 'date', n: Date.parse(p.value) };
}

/** Both bounds valid, of one kind, and the first after the second (or equal to it, for an exclusive end). */
function crosses(lo: Param, hi: Param, orEqual: boolean): boolean {
  const [a, b] = [boundOf(lo), boundOf(hi)];
  if (!a || !b || a.kind !== b.kind) return false;
  return orEqual ? a.n >= b.n : a.n > b.n;
}

/** A query of one route, before the tenant is chosen. */
interface LogQuery {
  path: string;
  params: Param[];
  /** A rule between valid parameters that the query breaks (`start` after `end`), named by its first parameter. */
  crossed?: string;
  /** The answer to the caller's own log when every parameter is valid. */
  expect: Expect;
  /** The query names only the victim's records: a 200 must be an empty list. */
  emptyList?: boolean;
  headers?: Record<string, string>;
  why: string;
}

function publicKey(): fc.Arbitrary<LogQuery> {
  return fc.constant({ path: '/v1/integrity/public-key', params: [], expect: 200, why: 'public key' });
}

/** The note or its JSON, whatever the Accept header asks for: never anything but 200 for the caller's own log. */
function checkpoint(): fc.Arbitrary<LogQuery> {
  const accept = fc.constantFrom(undefined, 'text/plain', 'application/json', '*/*', 'application/json, text/plain;q=0.5', 'text/*', 'application/xml', 'text/html', '', 'application/json;q=0', 'application/json'.repeat(200));
  return accept.map((a) => ({
    path: '/v1/integrity/checkpoint',
    params: [],
    headers: a === undefined ? undefined : { accept: a },
    expect: 200,
    why: `latest checkpoint${a === undefined ? '' : ', Accept given'}`,
  }));
}

function checkpoints(): fc.Arbitrary<LogQuery> {
  const bound = (name: string) => param(name, [...BOUND_SIZES, ...BOUND_DATES], NOT_BOUNDS);
  return fc.tuple(bound('start'), bound('end'), ...paging()).map(([start, end, ...rest]) => ({
    path: '/v1/integrity/checkpoints',
    params: [start, end, ...rest],
    crossed: crosses(start, end, false) ? 'start' : undefined,
    expect: 200,
    why: 'checkpoints',
  }));
}

function entries(world: World): fc.Arbitrary<LogQuery> {
  const v = world.victim;
  const a = world.attacker;
  const unshared = unsharedEntryIds(v);
  // The victim's entries' ids, in any case, and ids of nothing: the caller's log has no entry of theirs.
  const ref = fc.oneof(
    { weight: 2, arbitrary: fc.constant({ param: { name: 'ref', verdict: 'ok' } as Param, foreign: false }) },
    { weight: 2, arbitrary: fc.constantFrom(...a.runIds).map((id) => ({ param: present('ref', 'ok')(id), foreign: false })) },
    // Ids the victim's records hold that the attacker's own events may have taken too.
    { weight: 1, arbitrary: fc.constantFrom(...v.eventIds, ...v.runIds).map((id) => ({ param: present('ref', 'ok')(id), foreign: false })) },
    { weight: 3, arbitrary: fc.constantFrom(...unshared, ...unshared.map((id) => id.toUpperCase())).map((id) => ({ param: present('ref', 'ok')(id), foreign: true })) },
    { weight: 1, arbitrary: fc.uuid().map((id) => ({ param: present('ref', 'ok')(id), foreign: true })) },
    { weight: 2, arbitrary: fc.constantFrom(...notIds(v.runIds[0])).map((id) => ({ param: present('ref', 'bad')(id), foreign: false })) },
  );
  const index = (name: string) => param(name, INDICES, NOT_INDICES);
  return fc.tuple(index('start'), index('end'), ref, ...paging()).map(([start, end, r, ...rest]) => ({
    path: '/v1/integrity/entries',
    params: [start, end, r.param, ...rest],
    crossed: crosses(start, end, true) ? 'start' : undefined,
    expect: 200,
    emptyList: r.foreign,
    why: `entries${r.foreign ? ' of the victim' : ''}`,
  }));
}

/** Strings no UUID field takes, built around a real id. */
function notIds(id: string): string[] {
  return ['x', '', 'not-a-uuid', `${id} `, ` ${id}`, `{${id}}`, id.replace(/-/g, ''), `${id}\u0000`, '00000000-0000-0000-0000-00000000000G', "' OR 1=1 --", `${id}' OR '1'='1`, '*', '%'];
}

/** A proof of the caller's own entry (200 from the latest checkpoint); the victim's entries answer 404, as unknown ones. */
function proof(world: World): fc.Arbitrary<LogQuery> {
  const v = world.victim;
  const a = world.attacker;
  type Entry = { param: Param; expect: Expect; why: string };
  const unshared = unsharedEntryIds(v);
  const entry = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...a.entryIds, ...a.entryIds.map((id) => id.toUpperCase())).map((id): Entry => ({ param: present('entry_id', 'ok')(id), expect: 200, why: 'own entry' })) },
    { weight: 3, arbitrary: fc.constantFrom(...unshared, ...unshared.map((id) => id.toUpperCase())).map((id): Entry => ({ param: present('entry_id', 'ok')(id), expect: 404, why: "the victim's entry" })) },
    // The attacker's generated events may have taken these ids: its own entry, then (200, or 409 before the next checkpoint).
    { weight: 1, arbitrary: fc.constantFrom(...v.eventIds).map((id): Entry => ({ param: present('entry_id', 'ok')(id), expect: 'any', why: "an id of the victim's event" })) },
    { weight: 1, arbitrary: fc.uuid().map((id): Entry => ({ param: present('entry_id', 'ok')(id), expect: 404, why: 'unknown entry' })) },
    { weight: 2, arbitrary: fc.constantFrom(...notIds(v.entryIds[0])).map((id): Entry => ({ param: present('entry_id', 'bad')(id), expect: 'reject', why: 'malformed entry id' })) },
    { weight: 1, arbitrary: fc.constant<Entry>({ param: { name: 'entry_id', verdict: 'bad' }, expect: 'reject', why: 'no entry id' }) },
    { weight: 1, arbitrary: fc.constant<Entry>({ param: present('entry_id', 'bad')([a.entryIds[0], v.entryIds[0]]), expect: 'reject', why: 'two entry ids' }) },
  );
  return fc.tuple(entry, param('size', SIZES, NOT_SIZES)).map(([e, size]) => ({
    path: '/v1/integrity/proof',
    params: [e.param, size],
    // A size of the caller's own entry may be unsigned (404) or not cover it (409); an entry of no one's is 404 at any size.
    expect: e.expect === 200 && size.value !== undefined ? 'any' : e.expect,
    why: `proof of ${e.why}`,
  }));
}

function consistency(): fc.Arbitrary<LogQuery> {
  return fc.tuple(param('from', SIZES, NOT_SIZES, true), param('to', SIZES, NOT_SIZES, true)).map(([from, to]) => ({
    path: '/v1/integrity/consistency',
    params: [from, to],
    crossed: crosses(from, to, false) ? 'from' : undefined,
    // Two valid sizes: a proof when both are checkpointed, else 404.
    expect: 'any',
    why: 'consistency',
  }));
}

type Tenant = { value?: string | string[]; verdict: 'ok' | 'bad'; foreign: boolean; why: string };

/** Whose log: left out or the caller's own; another tenant's (403); no tenant id at all (400). */
function tenantParam(world: World): fc.Arbitrary<Tenant> {
  const v = world.victim;
  const a = world.attacker;
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant<Tenant>({ verdict: 'ok', foreign: false, why: 'own log' }) },
    { weight: 2, arbitrary: fc.constant<Tenant>({ value: a.tenant, verdict: 'ok', foreign: false, why: 'own log, named' }) },
    { weight: 3, arbitrary: fc.constantFrom(v.tenant, 'other-tenant', 'root').map((t): Tenant => ({ value: t, verdict: 'ok', foreign: true, why: "another tenant's log" })) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom<string | string[]>(
          v.tenant.toUpperCase(),
          a.tenant.toUpperCase(),
          '',
          ' ',
          `${a.tenant} `,
          `${a.tenant}\n`,
          `${a.tenant}\u0000`,
          `${a.tenant},${v.tenant}`,
          `${a.tenant}/../${v.tenant}`,
          '*',
          '%',
          "' OR 1=1 --",
          '-x',
          'a'.repeat(64),
          [a.tenant, v.tenant],
          [a.tenant, a.tenant],
        )
        .map((t): Tenant => ({ value: t, verdict: 'bad', foreign: false, why: 'no tenant id' })),
    },
  );
}

/** The query string of the parameters given, in order, each percent-encoded. */
function queryOf(params: Param[]): string {
  return queryString(
    params.flatMap((p) => (p.value === undefined ? [] : [p.value].flat().map((value) => ({ name: p.name, value, how: 'encoded' as const, garbage: '' })))),
  );
}

/** The log's routes with one or more parameters generated at a time, and the exact answer each must get. */
function logRead(world: World): fc.Arbitrary<HttpCase> {
  const query = fc.oneof(publicKey(), checkpoint(), checkpoints(), entries(world), proof(world), consistency());
  return fc.record({ query, tenant: tenantParam(world), cred: credential(world, 'query') }).map(({ query, tenant, cred }): HttpCase => {
    const wrong = [...query.params.filter((p) => p.verdict === 'bad').map((p) => p.name), ...(query.crossed ? [query.crossed] : []), ...(tenant.verdict === 'bad' ? ['tenant'] : [])];
    // Validation first (400), then whose log it is (403); a refusal names one of the culprits.
    const expect: Expect = wrong.length ? 'reject' : tenant.foreign ? 403 : query.expect;
    const qs = queryOf([{ name: 'tenant', value: tenant.value, verdict: tenant.verdict }, ...query.params]);
    return {
      label: `GET ${query.path} (${query.why}, ${tenant.why}${wrong.length ? `, wrong: ${wrong.join(', ')}` : ''})`,
      service: 'query',
      method: 'GET',
      path: qs ? `${query.path}?${qs}` : query.path,
      route: READ,
      cred,
      headers: query.headers,
      expect,
      emptyList: expect === 200 && query.emptyList,
      mentions: wrong.length || tenant.foreign ? [...wrong, ...(tenant.foreign ? ['tenant'] : [])] : undefined,
    };
  });
}

/** Each log route and the parameters it knows besides `tenant`. */
const LOG_ROUTES = [
  { path: '/v1/integrity/public-key', params: [] },
  { path: '/v1/integrity/checkpoint', params: [] },
  { path: '/v1/integrity/checkpoints', params: ['start', 'end', 'limit', 'offset', 'cursor'] },
  { path: '/v1/integrity/entries', params: ['start', 'end', 'ref', 'limit', 'offset', 'cursor'] },
  { path: '/v1/integrity/proof', params: ['entry_id', 'size'] },
  { path: '/v1/integrity/consistency', params: ['from', 'to'] },
];

/** The log's parameters' values for the free-form queries, besides the ones every list gets. */
function logValue(world: World, name: string): fc.Arbitrary<string> {
  const v = world.victim;
  const a = world.attacker;
  const ids = [...a.entryIds, ...a.runIds, ...v.entryIds, ...v.runIds, 'not-a-uuid'];
  const own: Record<string, fc.Arbitrary<string>> = {
    tenant: fc.constantFrom(a.tenant, v.tenant, v.tenant.toUpperCase(), `${a.tenant} `, '', 'root'),
    ref: fc.constantFrom(...ids),
    entry_id: fc.constantFrom(...ids),
    size: fc.constantFrom(...SIZES, ...NOT_SIZES),
    from: fc.constantFrom(...SIZES, ...NOT_SIZES),
    to: fc.constantFrom(...SIZES, ...NOT_SIZES),
    start: fc.constantFrom(...INDICES, ...BOUND_DATES, ...NOT_INDICES),
    end: fc.constantFrom(...INDICES, ...BOUND_DATES, ...NOT_INDICES),
  };
  return Object.hasOwn(own, name) ? fc.oneof({ weight: 3, arbitrary: own[name] }, { weight: 1, arbitrary: valueFor(world, name) }) : valueFor(world, name);
}

/**
 * The log's routes with free-form queries, as the list cases make them (unknown, repeated
 * and garbage parameters, twisted paths, other methods): an unknown or repeated parameter
 * is refused, and so is any `tenant` but the caller's own.
 */
function fuzzedRead(world: World): fc.Arbitrary<HttpCase> {
  return fc
    .constantFrom(...LOG_ROUTES)
    .chain((route) =>
      fc.record({
        route: fc.constant(route),
        ps: pairs(world, ['tenant', ...route.params], logValue),
        twist: rarely(fc.constantFrom(...PATH_TWISTS.keys()), 8),
        method: rarely(fc.constantFrom('HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE', 'POST'), 12),
        cred: credential(world, 'query'),
      }),
    )
    .map(({ route, ps, twist, method, cred }): HttpCase => {
      const qs = queryString(ps);
      const tenant = querystring.parse(qs).tenant;
      const expect: Expect = tenant !== undefined && tenant !== world.attacker.tenant ? 'reject' : queryVerdict(qs, ['tenant', ...route.params]);
      const path = twist === null ? route.path : PATH_TWISTS[twist](route.path);
      return {
        label: `${method ?? 'GET'} ${route.path} (generated query${twist === null ? '' : ', twisted path'})`,
        service: 'query',
        method: method ?? 'GET',
        path: qs ? `${path}?${qs}` : path,
        route: twist === null && method === null ? READ : undefined,
        cred,
        expect,
      };
    });
}

/** The victim's events' `ip_address` (hostile-input.spec.ts) and the attacker's own events' values (`auditEvent()`'s defaults): no marker in them. */
const PLAIN_VALUES = ['10.1.2.3', '10.244.0.0', 'test@run.ai', 'Mozilla/5.0', 'team-a'];

/** An erased value: 1 to 1024 characters, control characters included (a submission may hold them); never NUL nor a lone surrogate. */
const erasedValueVerdict: TextVerdict = (s, max) => {
  const n = [...s].length;
  return n < 1 || n > max || s.includes('\u0000') || /\p{Cs}/u.test(s) ? 'bad' : 'ok';
};

/**
 * `POST /v1/erasure`: validation first (400, naming the field), then the tenant (403 for
 * another one's), then the erasure (202). Accepted erasures run in the attacker's own
 * tenant, with a value that carries the request's marker or one of PLAIN_VALUES, so they
 * can never erase another request's marker; the reason lands in the timeline.
 */
function erasure(world: World): fc.Arbitrary<HttpCase> {
  const v = world.victim;
  const a = world.attacker;
  const value = fc.oneof(
    { weight: 6, arbitrary: printable(1024, erasedValueVerdict) },
    { weight: 2, arbitrary: fc.constantFrom(...PLAIN_VALUES, ...INJECTION).map(ok) },
  );
  type Tenant = Field & { foreign: boolean };
  const tenant = fc.oneof(
    { weight: 4, arbitrary: fc.constant<Tenant>({ ...ok(undefined), foreign: false }) },
    { weight: 2, arbitrary: fc.constant<Tenant>({ ...ok(a.tenant), foreign: false }) },
    { weight: 2, arbitrary: fc.constantFrom(v.tenant, 'other-tenant').map((t): Tenant => ({ ...ok(t), foreign: true })) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom<Template>(v.tenant.toUpperCase(), '', `${a.tenant}\n`, `${a.tenant} `, '*', "' OR 1=1 --", 'a'.repeat(64), 42, true, [a.tenant], objectOf([['$ne', null]]))
        .map((t): Tenant => ({ ...bad(t), foreign: false })),
    },
    // null for an optional field: taken as absent or refused, either is fine
    { weight: 1, arbitrary: fc.constant<Tenant>({ value: null, verdict: 'unsure', foreign: false }) },
  );
  const shape = fc.constantFrom('object', 'object', 'object', 'object', 'none', 'null', 'array', 'string');
  return fc
    .record({ value, reason: printable(1024, noControlsVerdict), tenant, shape, extra: EXTRA_FIELDS, cred: credential(world, 'query') })
    .map(({ value, reason, tenant, shape, extra, cred }): HttpCase => {
      const base = { service: 'query' as const, method: 'POST', path: '/v1/erasure', cred, sink: 'timeline' as const };
      if (shape !== 'object') {
        const template: Template | undefined = shape === 'null' ? new RawJson('null') : shape === 'array' ? [objectOf([['value', 'x'], ['reason', 'x']])] : shape === 'string' ? 'erase' : undefined;
        // A body that is not JSON text the parser takes as an object is refused before the scope check.
        const route: RouteSpec = shape === 'none' ? { scopes: ['admin'], forbidden: 403 } : { scopes: ['admin'] };
        return { ...base, label: `POST /v1/erasure (${shape} body)`, route, body: template === undefined ? undefined : { template }, expect: 'reject', mentions: ['body', 'value', 'JSON'] };
      }
      const verdict = verdictOf([value, reason, tenant], extra !== null);
      const wrong = [
        ...(value.verdict === 'bad' ? ['value'] : []),
        ...(reason.verdict === 'bad' ? ['reason'] : []),
        ...(tenant.verdict === 'bad' ? ['tenant'] : []),
        ...(extra === null ? [] : [extra[0]]),
      ];
      const expect: Expect = verdict === 'bad' ? 'reject' : verdict === 'unsure' ? 'any' : tenant.foreign ? 403 : 202;
      return {
        ...base,
        label: `POST /v1/erasure (${tenant.foreign ? 'another tenant' : 'own tenant'}, ${verdict})`,
        // Bodies here are well-formed JSON, so the scope is checked before anything they carry.
        route: { scopes: ['admin'], forbidden: 403 },
        body: { template: bodyOf([['value', value], ['reason', reason], ['tenantId', tenant]], extra === null ? [] : [extra]) },
        expect,
        mentions: wrong.length ? wrong : tenant.foreign ? ['tenant'] : undefined,
      };
    });
}

export function integrityCase(world: World): fc.Arbitrary<HttpCase> {
  return fc.oneof({ weight: 5, arbitrary: logRead(world) }, { weight: 2, arbitrary: fuzzedRead(world) }, { weight: 3, arbitrary: erasure(world) });
}
