import fc from 'fast-check';
import { credential } from './credentials';
import { EXTRA_FIELDS, GARBAGE_IDS, bad, bodyOf, noControlsVerdict, ok, optionalPrintable, printable, verdictOf } from './fields';
import { MARK, RawJson, objectOf, type Template } from './template';
import { INJECTION, freeText } from './text';
import { ALL_SCOPES, untouchedRunIds, type Expect, type HttpCase, type World } from './world';

/** Replaced at send time by the id of a key or runner this suite created (or a random uuid). */
export const THROWAWAY_KEY = '{throwaway-key}';
export const THROWAWAY_RUNNER = '{throwaway-runner}';

function keyCreation(world: World): fc.Arbitrary<HttpCase> {
  const v = world.victim;
  const a = world.attacker;
  const tenant = fc.oneof(
    { weight: 6, arbitrary: fc.constant({ ...ok(a.tenant), own: true }) },
    { weight: 2, arbitrary: fc.constantFrom(v.tenant, 'other-tenant', 'root', 'a').map((t) => ({ ...ok(t), own: false })) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom<Template>('Acme', '-x', '', 'a'.repeat(64), 'a b', `${a.tenant}/../${v.tenant}`, `${a.tenant}\n`, '*', "' OR 1=1 --", 42, null, [a.tenant])
        .map((t) => ({ ...bad(t), own: false })),
    },
    { weight: 1, arbitrary: fc.constant({ ...bad(undefined), own: false }) },
  );
  const principal = fc.oneof(fc.constantFrom('User', 'Application').map(ok), fc.constantFrom<Template>('user', 'Root', '', 1, null).map(bad));
  const scopes = fc.oneof(
    { weight: 4, arbitrary: fc.subarray(ALL_SCOPES, { minLength: 1 }).map((s) => ok(s)) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom<Template>([], ['superuser'], ['admin', 'admin'], [...ALL_SCOPES, 'admin'], 'admin', [1], ['admin '], ['*'], ['ADMIN'], [null], objectOf([['0', 'admin']]))
        .map(bad),
    },
  );
  return fc.record({ tenant, name: printable(128), principal, scopes, extra: EXTRA_FIELDS, cred: credential(world, 'query') }).map(({ tenant, name, principal, scopes, extra, cred }) => {
    const verdict = verdictOf([tenant, name, principal, scopes], extra !== null);
    const expect: Expect = verdict === 'bad' ? 'reject' : !tenant.own ? 403 : verdict === 'ok' ? 201 : 'any';
    return {
      label: `POST /v1/api-keys (${tenant.own ? 'own tenant' : 'another tenant'}, ${verdict})`,
      service: 'query' as const,
      method: 'POST',
      path: '/v1/api-keys',
      route: { scopes: ['admin' as const] },
      cred,
      body: { template: bodyOf([['tenantId', tenant], ['name', name], ['principalType', principal], ['scopes', scopes]], extra === null ? [] : [extra]) },
      expect,
      sink: 'timeline' as const,
      onCreated: 'key' as const,
    };
  });
}

function runnerRegistration(world: World): fc.Arbitrary<HttpCase> {
  const workspaces = fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom<Template>(['*'], ['acme-prod'], ['acme-prod', 'acme-staging'], ['x.y_z-1']).map(ok) },
    {
      weight: 3,
      arbitrary: fc
        .constantFrom<Template>([], 'acme-prod', [''], ['a b'], ['*', '*'], ['../x'], ['$(id)'], [1], [null], Array.from({ length: 101 }, (_, i) => `w${i}`), ['x'.repeat(129)], [world.victim.tenant + ' '], [objectOf([['name', 'x']])])
        .map(bad),
    },
  );
  return fc.record({ name: printable(128), workspaces, extra: EXTRA_FIELDS, cred: credential(world, 'query') }).map(({ name, workspaces, extra, cred }) => {
    const verdict = verdictOf([name, workspaces], extra !== null);
    return {
      label: `POST /v1/runners (${verdict})`,
      service: 'query' as const,
      method: 'POST',
      path: '/v1/runners',
      route: { scopes: ['runners:manage' as const] },
      cred,
      body: { template: bodyOf([['name', name], ['workspaces', workspaces]], extra === null ? [] : [extra]) },
      expect: verdict === 'bad' ? 'reject' : verdict === 'ok' ? 201 : 'any',
      sink: 'timeline' as const,
      onCreated: 'runner' as const,
    };
  });
}

/** A viewer token for the caller's own tenant only; its source restriction lands in the timeline entry. */
function viewerTokenCreation(world: World): fc.Arbitrary<HttpCase> {
  const v = world.victim;
  const a = world.attacker;
  const tenant = fc.oneof(
    { weight: 3, arbitrary: fc.constant({ ...ok(undefined), own: true }) },
    { weight: 2, arbitrary: fc.constant({ ...ok(a.tenant), own: true }) },
    { weight: 2, arbitrary: fc.constantFrom(v.tenant, 'other-tenant').map((t) => ({ ...ok(t), own: false })) },
    { weight: 1, arbitrary: fc.constantFrom<Template>('Acme', '', `${a.tenant}\n`, '*', 42, [a.tenant]).map((t) => ({ ...bad(t), own: true })) },
  );
  const ttl = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom<Template | undefined>(undefined, 1, 900, 86_400).map(ok) },
    { weight: 2, arbitrary: fc.constantFrom<Template>(0, -1, 86_401, 1.5, '60', 1e21, true, [60]).map(bad) },
    // null for an optional field: taken as absent or refused, either is fine
    { weight: 1, arbitrary: fc.constant({ value: null, verdict: 'unsure' as const }) },
  );
  // sourceId is optional: printable()'s missing value (bad for a required name) is fine here.
  const source = printable(200).map((f) => (f.value === undefined ? ok(undefined) : f));
  return fc.record({ tenant, ttl, source, extra: EXTRA_FIELDS, cred: credential(world, 'query') }).map(({ tenant, ttl, source, extra, cred }) => {
    const verdict = verdictOf([tenant, ttl, source], extra !== null);
    const expect: Expect = verdict === 'bad' ? 'reject' : !tenant.own ? 403 : verdict === 'ok' ? 201 : 'any';
    return {
      label: `POST /v1/viewer-tokens (${tenant.own ? 'own tenant' : 'another tenant'}, ${verdict})`,
      service: 'query' as const,
      method: 'POST',
      path: '/v1/viewer-tokens',
      route: { scopes: ['admin' as const, 'audit:read' as const] },
      cred,
      body: { template: bodyOf([['tenantId', tenant], ['ttlSeconds', ttl], ['sourceId', source]], extra === null ? [] : [extra]) },
      expect,
      sink: 'timeline' as const,
    };
  });
}


function deletion(world: World): fc.Arbitrary<HttpCase> {
  const v = world.victim;
  const target = fc.oneof(
    fc.constantFrom(
      { what: 'api-keys', id: v.keyId, expect: 404 as Expect, why: "the victim's key" },
      { what: 'api-keys', id: v.keyId.toUpperCase(), expect: 404 as Expect, why: "the victim's key, upper case" },
      { what: 'runners', id: v.runnerId, expect: 404 as Expect, why: "the victim's runner" },
      { what: 'runners', id: v.runnerId.toUpperCase(), expect: 404 as Expect, why: "the victim's runner, upper case" },
      { what: 'api-keys', id: THROWAWAY_KEY, expect: 'any' as Expect, why: 'a key this suite created' },
      { what: 'runners', id: THROWAWAY_RUNNER, expect: 'any' as Expect, why: 'a runner this suite created' },
    ),
    fc.tuple(fc.constantFrom('api-keys', 'runners'), fc.uuid()).map(([what, id]) => ({ what, id, expect: 404 as Expect, why: 'unknown id' })),
    fc.tuple(fc.constantFrom('api-keys', 'runners'), fc.constantFrom(...GARBAGE_IDS)).map(([what, id]) => ({ what, id, expect: 'reject' as Expect, why: 'malformed id' })),
  );
  return fc.tuple(target, credential(world, 'query'), fc.boolean()).map(([t, cred, withBody]) => ({
    label: `DELETE /v1/${t.what}/{${t.why}}`,
    service: 'query' as const,
    method: 'DELETE',
    path: `/v1/${t.what}/${t.id}`,
    route: { scopes: [t.what === 'api-keys' ? ('admin' as const) : ('runners:manage' as const)] },
    cred,
    // A body on DELETE is odd but legal; it must change nothing.
    body: withBody ? { template: objectOf([['tenantId', v.tenant], ['id', v.keyId]]) } : undefined,
    expect: t.expect,
  }));
}

/** Routes that may or may not exist (key rotation is being added): the victim's key must stay untouched. */
function maybeRoutes(world: World): fc.Arbitrary<HttpCase> {
  const v = world.victim;
  return fc.tuple(fc.constantFrom(`/v1/api-keys/${v.keyId}/rotate`, `/v1/api-keys/${v.keyId}`, `/v1/runners/${v.runnerId}`, `/v1/api-keys/${v.keyId}/revoke`), fc.constantFrom('POST', 'PUT', 'PATCH', 'GET'), credential(world, 'query')).map(([path, method, cred]) => ({
    label: `${method} ${path.replace(v.keyId, '{victim key}').replace(v.runnerId, '{victim runner}')}`,
    service: 'query' as const,
    method,
    path,
    cred,
    body: method === 'GET' ? undefined : { template: objectOf([['overlapSeconds', 0], ['tenantId', world.attacker.tenant]]) },
    expect: 'any' as Expect,
  }));
}

function retrigger(world: World): fc.Arbitrary<HttpCase> {
  const v = world.victim;
  const a = world.attacker;
  const run = fc.oneof(
    fc.constantFrom(...a.runIds).map((id) => ({ id, verdict: 'own' as const })),
    fc.constantFrom(...untouchedRunIds(v)).map((id) => ({ id, verdict: 'foreign' as const })),
    fc.constantFrom(...untouchedRunIds(v)).map((id) => ({ id: id.toUpperCase(), verdict: 'foreign' as const })),
    fc.uuid().map((id) => ({ id, verdict: 'foreign' as const })),
    fc.constantFrom(...GARBAGE_IDS).map((id) => ({ id, verdict: 'bad' as const })),
  );
  const runnerId = fc.oneof(
    { weight: 3, arbitrary: fc.constant({ ...ok(undefined), foreign: false }) },
    { weight: 2, arbitrary: fc.constant({ ...ok(a.runnerId), foreign: false }) },
    { weight: 2, arbitrary: fc.constantFrom(v.runnerId, v.runnerId.toUpperCase()).map((id) => ({ ...ok(id), foreign: true })) },
    { weight: 1, arbitrary: fc.uuid().map((id) => ({ ...ok(id), foreign: true })) },
    { weight: 1, arbitrary: fc.constantFrom<Template>('x', '', 42, [v.runnerId], `${v.runnerId} `).map((id) => ({ ...bad(id), foreign: false })) },
    // null for an optional field: taken as absent or refused, either is fine
    { weight: 1, arbitrary: fc.constant({ value: null, verdict: 'unsure' as const, foreign: false }) },
  );
  const reason = fc.oneof(
    { weight: 2, arbitrary: fc.constant(ok(undefined)) },
    { weight: 3, arbitrary: freeText(1000).map((t) => ({ value: `${MARK}${t}`, verdict: /\p{Cc}/u.test(t) ? ('bad' as const) : ('ok' as const) })) },
    { weight: 1, arbitrary: fc.constantFrom<Template>('', 'x'.repeat(1025), 'a\nb', 'a\u0000b', 42, ['x'], objectOf([['$ne', null]])).map(bad) },
    { weight: 1, arbitrary: fc.constantFrom(...INJECTION).map((i) => ({ value: `${MARK}${i}`, verdict: /\p{Cc}/u.test(i) ? ('bad' as const) : ('ok' as const) })) },
  );
  // Carried by the new run (docs/api.md#changes-and-correlationid): 1 to 128 characters, no controls.
  const correlationId = optionalPrintable(128, noControlsVerdict);
  const shape = fc.constantFrom('object', 'object', 'object', 'none', 'null', 'array', 'string');
  return fc.record({ run, runnerId, reason, correlationId, shape, extra: EXTRA_FIELDS, cred: credential(world, 'query') }).map(({ run, runnerId, reason, correlationId, shape, extra, cred }) => {
    let template: Template | undefined;
    let bodyBad = false;
    if (shape === 'object') template = bodyOf([['runnerId', runnerId], ['reason', reason], ['correlationId', correlationId]], extra === null ? [] : [extra]);
    else if (shape === 'null') template = new RawJson('null');
    else if (shape === 'array') [template, bodyBad] = [[objectOf([['reason', 'x']])], true];
    else if (shape === 'string') [template, bodyBad] = ['retrigger', true];
    const fields = shape === 'object' ? verdictOf([runnerId, reason, correlationId], extra !== null) : 'ok';
    let expect: Expect;
    if (run.verdict === 'bad' || bodyBad || fields === 'bad') expect = 'reject';
    else if (fields === 'unsure') expect = 'any';
    else if (run.verdict === 'foreign' || (shape === 'object' && runnerId.foreign)) expect = 404;
    else expect = 202;
    return {
      label: `POST /v1/action-runs/{${run.verdict} run}/retrigger (${shape} body${runnerId.foreign ? ', foreign runner' : ''})`,
      service: 'query' as const,
      method: 'POST',
      path: `/v1/action-runs/${run.id}/retrigger`,
      route: { scopes: ['runs:retrigger' as const] },
      cred,
      body: template === undefined ? undefined : { template },
      expect,
      sink: 'timeline' as const,
    };
  });
}

/** The runner agent's side: only a runner token, and only its own commands. */
function runnerSide(world: World): fc.Arbitrary<HttpCase> {
  const v = world.victim;
  const a = world.attacker;
  const command = fc.oneof(
    fc.constantFrom(...v.commandIds).map((id) => ({ id, expect: 404 as Expect })),
    fc.constantFrom(...a.commandIds).map((id) => ({ id, expect: 'any' as Expect })),
    fc.uuid().map((id) => ({ id, expect: 404 as Expect })),
    fc.constantFrom(...GARBAGE_IDS).map((id) => ({ id, expect: 'reject' as Expect })),
  );
  const statusBody = fc.oneof(
    fc.record({ status: fc.constantFrom('running', 'succeeded', 'failed'), exitCode: fc.integer({ min: 0, max: 255 }), newRunId: fc.constantFrom(...v.runIds) }).map((b) => ({ template: objectOf(Object.entries(b)) as Template, bad: false })),
    fc.constantFrom<Template>(objectOf([['status', 'queued']]), objectOf([['status', 'succeeded'], ['exitCode', 1.5]]), objectOf([['status', 'failed'], ['newRunId', 'x']]), objectOf([['status', 'failed'], ['tenantId', v.tenant]]), [], 'x').map((template) => ({ template, bad: true })),
  );
  const heartbeat = fc.oneof(
    fc.record({ state: fc.constantFrom('online', 'offline'), hostname: freeText(200), version: fc.constantFrom('1.0.0', '0.1') }).map((b) => ({
      template: objectOf(Object.entries(b)) as Template,
      bad: b.hostname.length === 0 || /\p{Cc}/u.test(b.hostname),
    })),
    fc.constantFrom<Template>(objectOf([['state', 'gone']]), objectOf([['hostname', 'x'.repeat(257)]]), objectOf([['version', 'a b']]), objectOf([['runnerId', v.runnerId]]), [1], 'online').map((template) => ({ template, bad: true })),
  );
  return fc.record({ which: fc.constantFrom('accept', 'status', 'heartbeat'), command, statusBody, heartbeat, cred: credential(world, 'runner') }).map(({ which, command, statusBody, heartbeat, cred }) => {
    const runnerOnly = { scopes: [], runnerOnly: true };
    if (which === 'heartbeat') {
      return { label: 'POST /v1/runner-session/heartbeat', service: 'query' as const, method: 'POST', path: '/v1/runner-session/heartbeat', route: runnerOnly, cred, body: { template: heartbeat.template }, expect: heartbeat.bad ? ('reject' as Expect) : 'any' };
    }
    const body = which === 'status' ? statusBody : undefined;
    return {
      label: `POST /v1/commands/{id}/${which}`,
      service: 'query' as const,
      method: 'POST',
      path: `/v1/commands/${command.id}/${which}`,
      route: runnerOnly,
      cred,
      body: body ? { template: body.template } : undefined,
      expect: body?.bad ? 'reject' : command.expect,
    };
  });
}

export function adminCase(world: World): fc.Arbitrary<HttpCase> {
  return fc.oneof(
    { weight: 3, arbitrary: keyCreation(world) },
    { weight: 2, arbitrary: runnerRegistration(world) },
    { weight: 2, arbitrary: viewerTokenCreation(world) },
    { weight: 3, arbitrary: deletion(world) },
    { weight: 1, arbitrary: maybeRoutes(world) },
    { weight: 4, arbitrary: retrigger(world) },
    { weight: 3, arbitrary: runnerSide(world) },
  );
}
