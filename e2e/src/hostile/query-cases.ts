import querystring from 'node:querystring';
import fc from 'fast-check';
import { credential } from './credentials';
import { BAD_FILTER_DATES, INJECTION, UNICODE, freeText, longText, rarely } from './text';
import { untouchedRunIds, type Expect, type HttpCase, type RouteSpec, type Scope, type World } from './world';

const PAGING = ['limit', 'offset', 'cursor'];
const DOWNLOAD = ['download', 'format'];
const RUN_FILTERS = ['workspace', 'organization', 'block', 'block_from', 'block_version', 'action', 'status', 'exit_code', 'hostname', 'os_user', 'cli_version', 'source_name', 'retriggered_from', 'correlation_id', 'start', 'end'];
const AUDIT_FILTERS = ['start', 'end', 'action', 'source_type', 'source_id', 'source_name', 'entity_type', 'entity_id', 'success', 'correlation_id', 'changed_field'];

interface ListRoute {
  path: string;
  scopes: Scope[];
  params: string[];
}

/** Every list endpoint of docs/api.md with the query parameters it knows. */
export const LIST_ROUTES: ListRoute[] = [
  { path: '/v1/audit', scopes: ['audit:read'], params: [...PAGING, ...DOWNLOAD, ...AUDIT_FILTERS] },
  { path: '/v1/k8s/audit', scopes: ['audit:read'], params: [...PAGING, ...DOWNLOAD, ...AUDIT_FILTERS] },
  { path: '/v1/action-runs', scopes: ['audit:read'], params: [...PAGING, ...DOWNLOAD, ...RUN_FILTERS] },
  { path: '/v1/action-runs/stats', scopes: ['audit:read'], params: [...RUN_FILTERS, 'interval', 'group_by'] },
  { path: '/v1/deployments', scopes: ['audit:read'], params: [...PAGING, 'workspace', 'block', 'block_from', 'block_version', 'status'] },
  { path: '/v1/commands', scopes: ['audit:read'], params: [...PAGING, 'run_id', 'runner_id', 'status'] },
  { path: '/v1/runners', scopes: ['runners:manage'], params: PAGING },
  { path: '/v1/schedules', scopes: ['audit:read'], params: [...PAGING, 'run_id'] },
  { path: '/v1/api-keys', scopes: ['admin'], params: PAGING },
];

const UNKNOWN_PARAMS = [
  'tenant_id',
  'tenantId',
  'tenant',
  'acton',
  'limit[]',
  'action[]',
  'action[$ne]',
  'action[0]',
  'source_name[$regex]',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'prototype',
  'where',
  'order',
  'sort',
  'select',
  'page',
  'LIMIT',
  ' limit',
  'limit ',
  '',
  'fields',
  'include',
  'q',
];

/** Values an auditor might type, and values an attacker would. */
export function valueFor(world: World, name: string): fc.Arbitrary<string> {
  const v = world.victim;
  const a = world.attacker;
  const ids = [...v.eventIds, ...v.runIds, ...v.commandIds, v.keyId, v.runnerId];
  const generic = fc.oneof(
    fc.constantFrom(...INJECTION),
    fc.constantFrom(...UNICODE),
    freeText(300),
    fc.constantFrom(...ids, ...ids.map((i) => i.toUpperCase()), v.tenant),
    fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '%', '%00', 'null', 'undefined', '[]', '{}', 'true'),
    longText(257, 600),
  );
  const specific: Record<string, fc.Arbitrary<string>> = {
    limit: fc.constantFrom('1', '2', '40', '1000', '0', '1001', '-1', '1.5', '1e3', ' 5', '0x10', '99999999999999999999', '', '٣', 'NaN', '+5', '05'),
    offset: fc.constantFrom('0', '1', '10', '999999999', '1000000000', '-1', '1.5', '1e9', '99999999999999999999', '٣', ''),
    cursor: fc.oneof(
      fc.constantFrom(...a.cursors.map((c) => c.cursor), ...v.cursors),
      fc.tuple(fc.constantFrom(...a.cursors.map((c) => c.cursor), ...v.cursors), fc.nat(), fc.constantFrom('A', '_', '-', '.', '')).map(([c, i, ch]) => {
        const at = i % c.length;
        return c.slice(0, at) + ch + c.slice(at + 1);
      }),
      fc.constantFrom(...v.cursors).map((c) => c.split('.').reverse().join('.')),
      fc.constant(`${Buffer.from(JSON.stringify({ t: '2100-01-01T00:00:00.000Z', i: '1', q: 'x' })).toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAA`),
      fc.constant(`${Buffer.from(JSON.stringify({ t: "'; DROP TABLE audit_events; --", i: '1 OR 1=1' })).toString('base64url')}.x`),
      fc.constantFrom('a.b', '.', '..', 'a.b.c', 'x'.repeat(513), '%00.%00', 'eyJ0IjoiMjAyMiJ9'),
    ),
    download: fc.constantFrom('true', 'false', 'TRUE', '1', '', 'yes'),
    format: fc.constantFrom('json', 'csv', 'xml', '', 'CSV', 'json,csv'),
    start: fc.oneof(fc.constantFrom('2022-1-1', '2020-01-01T00:00:00', '2021-06-01T00:00:00Z', '1970-01-01', '9999-12-31', '0001-01-01', '2022-07-07T09:45:32.069+02:00'), fc.constantFrom(...BAD_FILTER_DATES)),
    end: fc.oneof(fc.constantFrom('2030-1-1', '2099-12-31T23:59:59', '2021-06-01T00:00:00Z', '1970-01-01', '9999-12-31', '0001-01-01'), fc.constantFrom(...BAD_FILTER_DATES)),
    source_type: fc.constantFrom('User', 'Application', 'user', '', 'Root'),
    success: fc.constantFrom('true', 'false', '1', 'yes', ''),
    status: fc.constantFrom('running', 'failed,aborted', 'successful', 'failed,,', 'bogus', ',', 'queued', 'dispatched', 'expired', 'running,running'),
    exit_code: fc.constantFrom('0', '-1', '2147483647', '2147483648', '-2147483649', '1.5', 'abc', '99999999999', '-0', '00'),
    retriggered_from: fc.constantFrom(...v.runIds, 'not-a-uuid', '00000000-0000-0000-0000-000000000000'),
    run_id: fc.constantFrom(...v.runIds, ...a.runIds, 'not-a-uuid'),
    runner_id: fc.constantFrom(v.runnerId, a.runnerId, 'not-a-uuid', v.runnerId.toUpperCase()),
    interval: fc.constantFrom('hour', 'day', 'week', 'month', 'year', '', 'minute', "day'; --"),
    group_by: fc.constantFrom('status', 'workspace', 'block', 'action', 'block_version', 'tenant_id', 'id; DROP TABLE action_runs', ''),
    action: fc.constantFrom('Update', 'Run', 'deploy', 'update', 'Retrigger'),
    workspace: fc.constantFrom('acme-prod', 'x', '*', '../x'),
    block: fc.constantFrom('nginx', 'a.b_c-d', '*'),
    correlation_id: fc.constantFrom(v.sharedCorrelationId, 'pipeline-1', 'c'.repeat(128), 'c'.repeat(129), 'a\nb', '\u0085', '😀'.repeat(128)),
    changed_field: fc.constantFrom(v.sharedChangedField, 'replicas', 'spec.image', '_x', '1x', 'a b', 'k'.repeat(65), '__proto__', "x' OR '1'='1", 'a?b'),
  };
  return Object.hasOwn(specific, name) ? fc.oneof({ weight: 3, arbitrary: specific[name] }, { weight: 1, arbitrary: generic }) : generic;
}

/** Percent-encodes, even text that `encodeURIComponent` refuses (lone surrogates). */
function encode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...s].map((c) => (/^[A-Za-z0-9_.~-]$/.test(c) ? c : `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)).join('');
  }
}

/** Raw bytes on the wire that no encoder would produce. */
const GARBAGE = ['%', '%zz', '%0', '%00', '%c0%ae', '%ff%fe', '%ed%a0%80', '%e2%82', '%25', '+', '&&', '==', '=&=', '[]', '%5B%5D', ';', '%3B', '\\', '%5C', '..%2f', '%2e%2e%2f', '%u0041', '%C0%80'];

export interface Pair {
  name: string;
  value: string;
  how: 'encoded' | 'plus' | 'garbage-in-value' | 'garbage-alone';
  garbage: string;
}

/** Generated parameters, mostly known ones; `values` gives a parameter's values (default: `valueFor`). */
export function pairs(world: World, known: string[], values: (world: World, name: string) => fc.Arbitrary<string> = valueFor): fc.Arbitrary<Pair[]> {
  const unknown = fc.oneof(fc.constantFrom(...UNKNOWN_PARAMS), fc.string({ maxLength: 8 }));
  const name = known.length ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...known) }, { weight: 2, arbitrary: unknown }) : unknown;
  const pair = name.chain((n) =>
    fc.record({
      name: fc.constant(n),
      value: values(world, n),
      how: fc.constantFrom<Pair['how']>('encoded', 'encoded', 'encoded', 'plus', 'garbage-in-value', 'garbage-alone'),
      garbage: fc.constantFrom(...GARBAGE),
    }),
  );
  return fc.array(pair, { maxLength: known.length ? 6 : 2 });
}

export function queryString(ps: Pair[]): string {
  return ps
    .map((p) => {
      const k = encode(p.name);
      switch (p.how) {
        case 'encoded':
          return `${k}=${encode(p.value)}`;
        case 'plus':
          return `${k}=${encode(p.value).replace(/%20/g, '+')}`;
        case 'garbage-in-value':
          return `${k}=${encode(p.value)}${p.garbage}`;
        case 'garbage-alone':
          return p.garbage;
      }
    })
    .join('&');
}

/**
 * What the query service will see, decoded exactly as Express's "simple" query parser
 * does (node:querystring), and so what it must refuse: unknown or repeated
 * parameters, NUL in a value.
 */
export function queryVerdict(qs: string, known: string[]): Expect {
  const parsed = querystring.parse(qs);
  for (const [k, v] of Object.entries(parsed)) {
    if (!known.includes(k)) return 'reject';
    if (Array.isArray(v)) return 'reject';
    if (v !== undefined && v.includes('\u0000')) return 'reject';
  }
  return 'any';
}

/** Paths that may or may not reach the route; the answer must be safe either way. */
export const PATH_TWISTS: ((p: string) => string)[] = [
  (p) => `${p}/`,
  (p) => p.toUpperCase(),
  (p) => `/${p}`,
  (p) => p.replace('/v1/', '/v1/./'),
  (p) => `${p}/..`,
  (p) => p.replace('/v1/', '/v1/%2e%2e/v1/'),
  (p) => p.replace(/\/([a-z])/, (_, c: string) => `/%${c.charCodeAt(0).toString(16)}`),
  (p) => `${p}%2F`,
  (p) => `${p};x=1`,
  (p) => `${p}/../api-keys`,
  (p) => `/%2e%2e${p}`,
  (p) => `${p}%00`,
  (p) => `${p}/%2e%2e%2f%2e%2e%2fapi-keys`,
  (p) => p.replace('/v1', '/v2'),
  (p) => p.replace('/v1', ''),
];

export function listCase(world: World): fc.Arbitrary<HttpCase> {
  return fc
    .constantFrom(...LIST_ROUTES)
    .chain((route) =>
      fc.record({
        route: fc.constant(route),
        ps: pairs(world, route.params),
        twist: rarely(fc.constantFrom(...PATH_TWISTS.keys()), 8),
        huge: rarely(fc.integer({ min: 4_000, max: 20_000 }), 30),
        method: rarely(fc.constantFrom('HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE', 'POST', 'TRACE'), 12),
        cred: credential(world, 'query'),
      }),
    )
    .map(({ route, ps, twist, huge, method, cred }) => {
      let qs = queryString(ps);
      if (huge !== null) qs += `${qs ? '&' : ''}source_name=${'s'.repeat(huge)}`;
      const path = twist === null ? route.path : PATH_TWISTS[twist](route.path);
      const spec: RouteSpec = { scopes: route.scopes };
      const overHeaderLimit = qs.length + path.length > 15_000;
      // A huge source_name is too long where it is known, and unknown elsewhere.
      const expect: Expect = huge !== null ? 'reject' : queryVerdict(qs, route.params);
      return {
        label: `${method ?? 'GET'} ${route.path}${twist === null ? '' : ' (twisted path)'}${huge === null ? '' : ` with a ${huge}-character value`}`,
        service: 'query' as const,
        method: method ?? 'GET',
        path: qs ? `${path}?${qs}` : path,
        route: twist === null && method === null && !overHeaderLimit ? spec : undefined,
        cred,
        expect,
      };
    });
}

/** One record by id: the victim's ids must answer exactly like ids that do not exist. */
export function recordCase(world: World): fc.Arbitrary<HttpCase> {
  const v = world.victim;
  const a = world.attacker;
  const garbage = fc.constantFrom('x', '%00', '..%2f..%2fapi-keys', "'%20OR%20'1'%3D'1", 'a'.repeat(300), '%zz', '%c0%ae', `${v.runIds[0]}%00`, `${v.runIds[0]}%2F..`, '00000000-0000-0000-0000-00000000000g', `{${v.runIds[0]}}`, '*', '%2A', 'null', '-1');
  type Target = { id: string; expect: Expect };
  const runTarget: fc.Arbitrary<Target> = fc.oneof(
    fc.constantFrom(...untouchedRunIds(v)).map((id) => ({ id, expect: 404 })),
    fc.constantFrom(...untouchedRunIds(v)).map((id) => ({ id: id.toUpperCase(), expect: 404 })),
    fc.constantFrom(...a.runIds).map((id) => ({ id, expect: 200 })),
    fc.uuid().map((id) => ({ id, expect: 404 })),
    garbage.map((id) => ({ id, expect: 'reject' as Expect })),
  );
  const commandTarget: fc.Arbitrary<Target> = fc.oneof(
    fc.constantFrom(...v.commandIds).map((id) => ({ id, expect: 404 })),
    fc.constantFrom(...v.commandIds).map((id) => ({ id: id.toUpperCase(), expect: 404 })),
    fc.constantFrom(...a.commandIds).map((id) => ({ id, expect: 200 })),
    fc.uuid().map((id) => ({ id, expect: 404 })),
    garbage.map((id) => ({ id, expect: 'reject' as Expect })),
  );
  return fc
    .record({
      which: fc.constantFrom('run', 'command', 'session'),
      run: runTarget,
      command: commandTarget,
      ps: pairs(world, []),
      cred: credential(world, 'query'),
      runnerCred: credential(world, 'runner'),
    })
    .map(({ which, run, command, ps, cred, runnerCred }): HttpCase => {
      const qs = queryString(ps);
      const q = qs ? `?${qs}` : '';
      if (which === 'session') {
        return { label: 'GET /v1/runner-session', service: 'query', method: 'GET', path: `/v1/runner-session${q}`, route: { scopes: [], runnerOnly: true }, cred: runnerCred, expect: 'any' };
      }
      const target = which === 'run' ? run : command;
      // Both single-record routes take no parameters and check that first (400).
      const withParams = Object.keys(querystring.parse(qs)).length > 0;
      return {
        label: `GET /v1/${which === 'run' ? 'action-runs' : 'commands'}/{${typeof target.expect === 'number' && target.expect === 404 ? 'foreign or unknown id' : 'id'}}`,
        service: 'query',
        method: 'GET',
        path: `/v1/${which === 'run' ? 'action-runs' : 'commands'}/${/%|\//.test(target.id) ? target.id : encodeURIComponent(target.id)}${q}`,
        route: { scopes: ['audit:read'] },
        cred,
        expect: withParams ? 'reject' : target.expect,
      };
    });
}
