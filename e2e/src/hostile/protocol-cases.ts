import fc from 'fast-check';
import { refusedCredential } from './credentials';
import { FRESH_ID, MARK, objectOf, type Template } from './template';
import type { HttpCase, RouteSpec, World } from './world';

interface Endpoint {
  service: 'ingest' | 'query';
  method: string;
  path: string;
  route: RouteSpec;
  body?: Template;
}

/** Every authenticated route, aimed at the victim's records where it takes an id. */
function endpoints(world: World): Endpoint[] {
  const v = world.victim;
  const auditEvent = objectOf([['happenedAt', '2022-07-07T09:45:32.069Z'], ['action', 'Update'], ['entityType', 'Project'], ['sourceType', 'User'], ['sourceName', MARK]]);
  const run = objectOf([['id', FRESH_ID], ['workspace', objectOf([['name', 'acme-prod']])], ['block', objectOf([['name', 'nginx']])], ['action', 'deploy'], ['status', 'running'], ['startedAt', '2022-07-07T09:45:32.069Z'], ['hostname', MARK]]);
  const read: RouteSpec = { scopes: ['audit:read'] };
  const runner: RouteSpec = { scopes: [], runnerOnly: true };
  return [
    { service: 'ingest', method: 'POST', path: '/v1/audit-events', route: { scopes: ['events:write'] }, body: auditEvent },
    { service: 'ingest', method: 'POST', path: '/v1/action-runs', route: { scopes: ['events:write'] }, body: run },
    { service: 'query', method: 'GET', path: '/v1/audit', route: read },
    { service: 'query', method: 'GET', path: '/v1/k8s/audit?download=true&format=csv', route: read },
    { service: 'query', method: 'GET', path: '/v1/action-runs?download=true', route: read },
    { service: 'query', method: 'GET', path: `/v1/action-runs/${v.runIds[v.runIds.length - 1]}`, route: read },
    { service: 'query', method: 'GET', path: '/v1/action-runs/stats', route: read },
    { service: 'query', method: 'GET', path: '/v1/deployments', route: read },
    { service: 'query', method: 'GET', path: `/v1/commands?runner_id=${v.runnerId}`, route: read },
    { service: 'query', method: 'GET', path: `/v1/commands/${v.commandIds[0]}`, route: read },
    { service: 'query', method: 'GET', path: '/v1/runners', route: { scopes: ['runners:manage'] } },
    { service: 'query', method: 'POST', path: '/v1/runners', route: { scopes: ['runners:manage'] }, body: objectOf([['name', MARK], ['workspaces', ['*']]]) },
    { service: 'query', method: 'DELETE', path: `/v1/runners/${v.runnerId}`, route: { scopes: ['runners:manage'] } },
    { service: 'query', method: 'GET', path: '/v1/api-keys', route: { scopes: ['admin'] } },
    { service: 'query', method: 'POST', path: '/v1/api-keys', route: { scopes: ['admin'] }, body: objectOf([['tenantId', v.tenant], ['name', MARK], ['principalType', 'User'], ['scopes', ['admin']]]) },
    { service: 'query', method: 'DELETE', path: `/v1/api-keys/${v.keyId}`, route: { scopes: ['admin'] } },
    { service: 'query', method: 'POST', path: `/v1/action-runs/${v.runIds[v.runIds.length - 1]}/retrigger`, route: { scopes: ['runs:retrigger'] }, body: objectOf([['reason', MARK]]) },
    { service: 'query', method: 'POST', path: `/v1/commands/${v.commandIds[0]}/accept`, route: runner },
    { service: 'query', method: 'POST', path: `/v1/commands/${v.commandIds[0]}/status`, route: runner, body: objectOf([['status', 'succeeded'], ['exitCode', 0]]) },
    { service: 'query', method: 'GET', path: '/v1/runner-session', route: runner },
    { service: 'query', method: 'POST', path: '/v1/runner-session/heartbeat', route: runner, body: objectOf([['state', 'online']]) },
    { service: 'query', method: 'GET', path: '/v1/whoami', route: { scopes: [] } },
    { service: 'query', method: 'POST', path: '/v1/viewer-tokens', route: { scopes: ['admin', 'audit:read'] }, body: objectOf([['tenantId', v.tenant], ['sourceId', MARK]]) },
    { service: 'query', method: 'GET', path: `/v1/integrity/public-key?tenant=${v.tenant}`, route: read },
    { service: 'query', method: 'GET', path: `/v1/integrity/checkpoint?tenant=${v.tenant}`, route: read },
    { service: 'query', method: 'GET', path: '/v1/integrity/checkpoints?start=1', route: read },
    { service: 'query', method: 'GET', path: `/v1/integrity/entries?ref=${v.runIds[0]}`, route: read },
    { service: 'query', method: 'GET', path: `/v1/integrity/proof?entry_id=${v.eventIds[0]}`, route: read },
    { service: 'query', method: 'GET', path: '/v1/integrity/consistency?from=1&to=2', route: read },
    { service: 'query', method: 'POST', path: '/v1/erasure', route: { scopes: ['admin'] }, body: objectOf([['value', MARK], ['reason', MARK], ['tenantId', v.tenant]]) },
  ];
}

/** Refused credentials on every route: always 401, whatever the route would have done. */
export function authCase(world: World): fc.Arbitrary<HttpCase> {
  return fc.tuple(fc.constantFrom(...endpoints(world)), refusedCredential(world)).map(([e, cred]) => ({
    label: `${e.method} ${e.path.split('?')[0]} with ${cred.name}`,
    service: e.service,
    method: e.method,
    path: e.path,
    route: e.route,
    cred,
    body: e.body === undefined ? undefined : { template: e.body },
    expect: 401,
    sink: e.service === 'ingest' ? (e.path.includes('audit') ? ('audit' as const) : ('run' as const)) : ('timeline' as const),
  }));
}

/** A request no HTTP client would send, as raw bytes, with what it tries. */
export interface SocketCase {
  label: string;
  service: 'ingest' | 'query';
  bytes: string;
}

export function socketCases(world: World): SocketCase[] {
  const key = world.attacker.key;
  const v = world.victim;
  const json = '{"happenedAt":"2022-07-07T09:45:32.069Z","action":"Update","entityType":"Project","sourceType":"User","sourceName":"s"}';
  const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\n${extra}Connection: close\r\n\r\n`;
  const post = (path: string, headers: string, body: string) => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\n${headers}Connection: close\r\n\r\n${body}`;
  const cases: SocketCase[] = [
    { label: 'NUL in a header value', service: 'query', bytes: `GET /v1/audit HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\u0000\r\nConnection: close\r\n\r\n` },
    { label: 'NUL in the path', service: 'query', bytes: get('/v1/audit\u0000') },
    { label: 'bare LF line ends', service: 'query', bytes: `GET /v1/audit HTTP/1.1\nHost: x\nAuthorization: Bearer ${key}\nConnection: close\n\n` },
    { label: 'obs-fold in Authorization', service: 'query', bytes: `GET /v1/audit HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\r\n ${key}\r\nConnection: close\r\n\r\n` },
    { label: 'space in a header name', service: 'query', bytes: get('/v1/audit', 'Auth orization: x\r\n') },
    { label: 'garbage request line', service: 'query', bytes: 'GARBAGE\r\n\r\n' },
    { label: 'HTTP/0.9', service: 'query', bytes: 'GET /v1/audit\r\n\r\n' },
    { label: 'HTTP/2 preface on HTTP/1', service: 'query', bytes: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n' },
    { label: 'unknown method', service: 'query', bytes: `FOO /v1/audit HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nConnection: close\r\n\r\n` },
    { label: 'TRACE', service: 'query', bytes: `TRACE /v1/audit HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nConnection: close\r\n\r\n` },
    { label: 'OPTIONS *', service: 'query', bytes: 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' },
    { label: '20 KiB header', service: 'query', bytes: get('/v1/audit', `X-Big: ${'a'.repeat(20_480)}\r\n`) },
    { label: '20 KiB URL', service: 'query', bytes: get(`/v1/audit?source_name=${'a'.repeat(20_480)}`) },
    { label: 'no Host header', service: 'query', bytes: `GET /v1/audit HTTP/1.1\r\nAuthorization: Bearer ${key}\r\nConnection: close\r\n\r\n` },
    { label: 'two Host headers', service: 'query', bytes: get('/v1/audit', 'Host: evil.example\r\n') },
    { label: 'absolute-form URL', service: 'query', bytes: get('http://evil.example/v1/audit') },
    { label: 'raw space in the query', service: 'query', bytes: get('/v1/audit?source_name=a b') },
    { label: 'raw high bytes in the query', service: 'query', bytes: get('/v1/audit?source_name=\u00ff\u00fe\u00c0\u00ae') },
    { label: 'two Authorization headers', service: 'query', bytes: get('/v1/audit', `Authorization: Bearer ${v.key.slice(0, -2)}xx\r\n`) },
    { label: 'Content-Length -1', service: 'ingest', bytes: post('/v1/audit-events', 'Content-Type: application/json\r\nContent-Length: -1\r\n', json) },
    { label: 'two different Content-Lengths', service: 'ingest', bytes: post('/v1/audit-events', `Content-Type: application/json\r\nContent-Length: ${json.length}\r\nContent-Length: 5\r\n`, json) },
    { label: 'Content-Length and chunked', service: 'ingest', bytes: post('/v1/audit-events', `Content-Type: application/json\r\nContent-Length: ${json.length}\r\nTransfer-Encoding: chunked\r\n`, `${json.length.toString(16)}\r\n${json}\r\n0\r\n\r\n`) },
    { label: 'bad chunk size', service: 'ingest', bytes: post('/v1/audit-events', 'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n', `zz\r\n${json}\r\n0\r\n\r\n`) },
    { label: 'chunked, no last chunk', service: 'ingest', bytes: post('/v1/audit-events', 'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n', `5\r\n{"a":\r\n`) },
    { label: 'body shorter than Content-Length', service: 'ingest', bytes: post('/v1/audit-events', 'Content-Type: application/json\r\nContent-Length: 500\r\n', json) },
    { label: 'Content-Length 2 GiB', service: 'ingest', bytes: post('/v1/audit-events', 'Content-Type: application/json\r\nContent-Length: 2147483648\r\n', json) },
    { label: 'Transfer-Encoding gzip, not gzipped', service: 'ingest', bytes: post('/v1/audit-events', `Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${json.length}\r\n`, json) },
    { label: 'Content-Encoding deflate bomb-ish garbage', service: 'ingest', bytes: post('/v1/audit-events', 'Content-Type: application/json\r\nContent-Encoding: deflate\r\nContent-Length: 4\r\n', 'x\u009c\u0000\u0000') },
    { label: 'Expect: 100-continue', service: 'ingest', bytes: post('/v1/audit-events', `Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${json.length}\r\n`, json) },
    { label: 'pipelined: own list, then a foreign run', service: 'query', bytes: `GET /v1/audit HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\n\r\n${get(`/v1/action-runs/${v.runIds[v.runIds.length - 1]}`)}` },
    { label: 'request smuggling shape (CL.TE)', service: 'query', bytes: `POST /v1/api-keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /v1/api-keys HTTP/1.1\r\nHost: x\r\n\r\n` },
    { label: 'latin-1 bytes in Authorization', service: 'query', bytes: get('/v1/audit', 'X-Note: \u00e9\u00ff\r\n').replace(`Bearer ${key}`, 'Bearer rt_\u00e9\u00ff\u00c0\u00ae') },
    { label: 'header line without a colon', service: 'query', bytes: get('/v1/audit', 'NoColonHere\r\n') },
    { label: 'very many headers', service: 'query', bytes: get('/v1/audit', Array.from({ length: 3000 }, (_, i) => `X-H${i}: v\r\n`).join('')) },
    { label: 'invalid percent-encoding in the path', service: 'query', bytes: get('/v1/action-runs/%E0%A4%A') },
  ];
  return cases;
}
