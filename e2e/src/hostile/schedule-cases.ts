import fc from 'fast-check';
import { credential } from './credentials';
import { EXTRA_FIELDS, GARBAGE_IDS, bad, bodyOf, noControlsVerdict, ok, optionalPrintable, printable, verdictOf, type Field } from './fields';
import { queryString } from './query-cases';
import { MARK, objectOf, type Template } from './template';
import { BAD_DATES, INJECTION, freeText, notAString, withNul, zonedDate } from './text';
import { untouchedRunIds, type Expect, type HttpCase, type World } from './world';

/**
 * Issue 12's schedules (docs/api.md#schedules) under hostile input: creation with generated
 * bodies, the acts on one schedule with the victim's id, and the list with generated
 * query strings. The victim's schedule must stay invisible and unchanged (checked at the
 * end with the victim's other records), and nothing of a refused creation may be stored.
 */

/** Replaced at send time by the id of a schedule this suite created (or a random uuid). */
export const THROWAWAY_SCHEDULE = '{throwaway-schedule}';

type Target = Field & { foreign: boolean };

/** Five fields that fire rarely (so the suite's own schedules make few commands), croner's extensions included. */
const VALID_CRONS = ['0 3 * * 0', '*/15 * * * *', '0 0 1 1 *', '30 2 * * *', '0 12 1 * +MON', '0 9 * * MON-FRI', '0 0 L * *', '0 0 * * MON#5', '@weekly', '@monthly', '0 0 29 2 *', `00${',0'.repeat(59)} 3 * * 0`];

const BAD_CRONS: Template[] = [
  '0 0 3 * * 0',
  '* * * * * * *',
  '0 0 1 1 * 2030',
  '0 3 * *',
  '*',
  '',
  ' ',
  '@reboot',
  '@every 5m',
  '61 * * * *',
  '0 24 * * *',
  '0 0 0 * *',
  '0 0 * 13 *',
  '0 0 * * 8',
  '5/5 * * * *',
  '*/0 * * * *',
  '1-0 * * * *',
  '0 0 * * MON#6',
  'L L L L L',
  '０ 3 * * 0',
  `00${',0'.repeat(59)} 3 * * 0 `, // 129 characters
  `0 3 * * 0 ${',0'.repeat(600)}`,
  'x'.repeat(129),
  '0 3 * * 0\u0000',
  '0 3\u0000 * * 0',
  "0 3 * * 0'; DROP TABLE schedules; --",
  null,
];

/** Valid everywhere; `Asia/Kolkata` and the like depend on the runtime's ICU names, so they are left out. */
const VALID_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham'];
const BAD_ZONES: Template[] = ['europe/berlin', 'Mars/Olympus', 'EUROPE/BERLIN', 'Europe/Berlin ', '', 'utc', 'Z', '+02:00', 'Europe/../Europe/Berlin', '../../../etc/localtime', 'x'.repeat(65), 'Europe/Berlin\u0000', 42, true, ['UTC'], objectOf([['name', 'UTC']])];

const DAY = 86_400_000;

function runField(world: World): fc.Arbitrary<Target> {
  const v = world.victim;
  const a = world.attacker;
  const own = a.runIds[0];
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...a.runIds).map((id) => ({ ...ok(id), foreign: false })) },
    { weight: 3, arbitrary: fc.constantFrom(...untouchedRunIds(v)).map((id) => ({ ...ok(id), foreign: true })) },
    { weight: 1, arbitrary: fc.constantFrom(...untouchedRunIds(v)).map((id) => ({ ...ok(id.toUpperCase()), foreign: true })) },
    { weight: 1, arbitrary: fc.uuid().map((id) => ({ ...ok(id), foreign: true })) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom<Template>('x', '', 'not-a-uuid', 42, true, null, [own], objectOf([['$ne', null]]), `${own} `, `{${own}}`, own.replace(/-/g, ''), `${own}\u0000`, '00000000-0000-0000-0000-00000000000G', "' OR 1=1 --")
        .map((id) => ({ ...bad(id), foreign: false })),
    },
    { weight: 1, arbitrary: fc.constant({ ...bad(undefined), foreign: false }) },
  );
}

function cronField(): fc.Arbitrary<Field> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...VALID_CRONS).map(ok) },
    // Whitespace around five fields, and expressions that never fire (Feb 30): the contract does not say.
    { weight: 1, arbitrary: fc.constantFrom(' 0 3 * * 0 ', '0 3 * * 0\n', '0\t3 * * 0', '0 0 30 2 *').map((c): Field => ({ value: c, verdict: 'unsure' })) },
    { weight: 4, arbitrary: fc.constantFrom(...BAD_CRONS).map(bad) },
    { weight: 1, arbitrary: fc.oneof(notAString, withNul).map(bad) },
    { weight: 1, arbitrary: fc.constantFrom(...INJECTION).map(bad) },
    { weight: 1, arbitrary: freeText(60).map((c): Field => ({ value: c, verdict: 'unsure' })) },
    { weight: 1, arbitrary: fc.constant(bad(undefined)) },
  );
}

function timezoneField(): fc.Arbitrary<Field> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(ok(undefined)) },
    { weight: 3, arbitrary: fc.constantFrom(...VALID_ZONES).map(ok) },
    { weight: 3, arbitrary: fc.constantFrom(...BAD_ZONES).map(bad) },
    { weight: 1, arbitrary: fc.constantFrom<Template>(null, 'Asia/Kolkata').map((z): Field => ({ value: z, verdict: 'unsure' })) },
  );
}

function runnerField(world: World): fc.Arbitrary<Target> {
  const v = world.victim;
  const a = world.attacker;
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant({ ...ok(undefined), foreign: false }) },
    { weight: 2, arbitrary: fc.constant({ ...ok(a.runnerId), foreign: false }) },
    // The victim's runner must not be usable: answered like a runner that does not exist.
    { weight: 2, arbitrary: fc.constantFrom(v.runnerId, v.runnerId.toUpperCase()).map((id) => ({ ...ok(id), foreign: true })) },
    { weight: 1, arbitrary: fc.uuid().map((id) => ({ ...ok(id), foreign: true })) },
    { weight: 1, arbitrary: fc.constantFrom<Template>('x', '', 42, [v.runnerId], `${v.runnerId} `, `${a.runnerId}\u0000`).map((id) => ({ ...bad(id), foreign: false })) },
    { weight: 1, arbitrary: fc.constant({ value: null, verdict: 'unsure' as const, foreign: false }) },
  );
}

/**
 * An `until` every one of VALID_CRONS fires before: more than four years ahead, so even
 * `0 0 29 2 *` has a 29 February in between (an expression that never fires before `until`
 * is a 400). Far enough ahead too for a suite that runs for minutes.
 */
function validUntil(now: number): fc.Arbitrary<string> {
  return zonedDate(new Date(now + 1_500 * DAY), new Date(now + 3_000 * DAY));
}

function untilField(): fc.Arbitrary<Field> {
  const now = Date.now();
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(ok(undefined)) },
    { weight: 3, arbitrary: validUntil(now).map(ok) },
    { weight: 2, arbitrary: zonedDate(new Date('2000-01-01T00:00:00Z'), new Date(now - DAY)).map(bad) },
    { weight: 2, arbitrary: fc.constantFrom<Template>('2030-01-01T00:00:00', '2030-01-01', '2030-01-01 00:00:00Z', '2030-01-01T00:00Zjunk', 'tomorrow', 'never', 4102444800000, true, ['2030-01-01T00:00:00Z'], ...BAD_DATES).map(bad) },
    { weight: 1, arbitrary: fc.constant<Field>({ value: null, verdict: 'unsure' }) },
  );
}

/** A body that passes validation: the attacker's own run, or the victim's (then 404). */
function validBody(world: World) {
  const v = world.victim;
  const a = world.attacker;
  const now = Date.now();
  return fc.record({
    run: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...a.runIds).map((id): Target => ({ ...ok(id), foreign: false })) },
      { weight: 1, arbitrary: fc.constantFrom(...untouchedRunIds(v)).map((id): Target => ({ ...ok(id), foreign: true })) },
    ),
    cron: fc.constantFrom(...VALID_CRONS).map(ok),
    timezone: fc.constantFrom(undefined, ...VALID_ZONES).map(ok),
    reason: fc.constant(ok(`${MARK} drill`)),
    runner: fc.constantFrom(undefined, a.runnerId).map((id): Target => ({ ...ok(id), foreign: false })),
    until: fc.option(validUntil(now), { nil: undefined }).map(ok),
    correlationId: fc.constantFrom(undefined, `${MARK}-pipeline`).map(ok),
  });
}

type Body = { run: Target; cron: Field; timezone: Field; reason: Field; runner: Target; until: Field; correlationId: Field };

/** Each field's generated values, valid and hostile. */
function anyField(world: World): { [K in keyof Body]: fc.Arbitrary<Body[K]> } {
  return {
    run: runField(world),
    cron: cronField(),
    timezone: timezoneField(),
    reason: printable(1024, noControlsVerdict),
    runner: runnerField(world),
    until: untilField(),
    correlationId: optionalPrintable(128, noControlsVerdict),
  };
}

const FIELDS: (keyof Body)[] = ['run', 'cron', 'timezone', 'reason', 'runner', 'until', 'correlationId'];

/** A valid body with one field (sometimes none, sometimes two) generated freely, as the ingest cases do. */
function creation(world: World): fc.Arbitrary<HttpCase> {
  const fields = anyField(world);
  const changed = fc.oneof(
    { weight: 1, arbitrary: fc.constant<(keyof Body)[]>([]) },
    { weight: 4, arbitrary: fc.constantFrom(...FIELDS).map((f) => [f]) },
    { weight: 1, arbitrary: fc.uniqueArray(fc.constantFrom(...FIELDS), { minLength: 2, maxLength: 2 }) },
  );
  const body = fc.tuple(validBody(world), changed).chain(([base, which]) =>
    which.length === 0 ? fc.constant(base) : fc.record(Object.fromEntries(which.map((f) => [f, fields[f]]))).map((wrong) => ({ ...base, ...(wrong as Partial<Body>) })),
  );
  return fc.record({ body, extra: EXTRA_FIELDS, cred: credential(world, 'query') }).map(({ body, extra, cred }) => {
    const { run, cron, timezone, reason, runner, until, correlationId } = body;
    const verdict = verdictOf([run, cron, timezone, reason, runner, until, correlationId], extra !== null);
    const foreign = run.foreign || runner.foreign;
    // Validation first (400), then the run and the runner are looked up in the caller's tenant (404).
    const expect: Expect = verdict === 'bad' ? 'reject' : verdict === 'unsure' ? 'any' : foreign ? 404 : 201;
    const template = bodyOf(
      [
        ['runId', run],
        ['cron', cron],
        ['timezone', timezone],
        ['reason', reason],
        ['runnerId', runner],
        ['until', until],
        ['correlationId', correlationId],
      ],
      extra === null ? [] : [extra],
    );
    return {
      label: `POST /v1/schedules (${run.foreign ? 'foreign run' : 'own run'}${runner.foreign ? ', foreign runner' : ''}, ${verdict})`,
      service: 'query' as const,
      method: 'POST',
      path: '/v1/schedules',
      // Bodies here are well-formed JSON, so the scope is checked before anything they carry.
      route: { scopes: ['runs:retrigger' as const], forbidden: 403 as const },
      cred,
      body: { template },
      expect,
      sink: 'schedule' as const,
      onCreated: 'schedule' as const,
    };
  });
}

const ACTS = [
  { method: 'GET', suffix: '', scope: 'audit:read' as const, ok: 200 },
  { method: 'POST', suffix: '/pause', scope: 'runs:retrigger' as const, ok: 200 },
  { method: 'POST', suffix: '/resume', scope: 'runs:retrigger' as const, ok: 200 },
  { method: 'DELETE', suffix: '', scope: 'runs:retrigger' as const, ok: 204 },
];

/** Reading, pausing, resuming and deleting one schedule: the victim's answers like one that does not exist. */
function act(world: World): fc.Arbitrary<HttpCase> {
  const v = world.victim;
  type Id = { id: string; why: string; status: 'ok' | 404 | 'reject' | 'any' };
  const id: fc.Arbitrary<Id> = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom<Id>({ id: v.scheduleId, why: "the victim's schedule", status: 404 }, { id: v.scheduleId.toUpperCase(), why: "the victim's schedule, upper case", status: 404 }) },
    { weight: 2, arbitrary: fc.constant<Id>({ id: THROWAWAY_SCHEDULE, why: 'a schedule this suite created', status: 'any' }) },
    { weight: 1, arbitrary: fc.uuid().map((u): Id => ({ id: u, why: 'unknown id', status: 404 })) },
    { weight: 2, arbitrary: fc.constantFrom(...GARBAGE_IDS, `${v.scheduleId}%00`, `{${v.scheduleId}}`, v.scheduleId.replace(/-/g, '')).map((g): Id => ({ id: g, why: 'malformed id', status: 'reject' })) },
  );
  return fc
    .record({ act: fc.constantFrom(...ACTS), id, query: fc.constantFrom('', '', '', '?tenant=x', `?tenant_id=${v.tenant}`), cred: credential(world, 'query') })
    .map(({ act, id, query, cred }) => {
      // Only the single read refuses a query string; the writes ignore it.
      const expect: Expect = act.method === 'GET' && query !== '' ? 'reject' : id.status === 'ok' ? act.ok : id.status;
      return {
        label: `${act.method} /v1/schedules/{${id.why}}${act.suffix}${query ? ' with a query' : ''}`,
        service: 'query' as const,
        method: act.method,
        path: `/v1/schedules/${id.id}${act.suffix}${query}`,
        // A percent-escape Express cannot decode is refused before any guard runs.
        route: { scopes: [act.scope], ...(/%/.test(id.id) ? {} : { forbidden: 403 as const }) },
        cred,
        expect,
      };
    });
}

/** The list: filtering on the victim's run finds nothing; junk and unknown parameters are refused. */
function list(world: World): fc.Arbitrary<HttpCase> {
  const v = world.victim;
  const a = world.attacker;
  type Query = { qs: string; why: string; expect: Expect; empty?: boolean };
  const paging = fc.constantFrom('', '&limit=1', '&limit=1000', '&offset=0');
  const query: fc.Arbitrary<Query> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...untouchedRunIds(v)), fc.boolean(), paging)
        .map(([id, upper, p]): Query => ({ qs: `run_id=${upper ? id.toUpperCase() : id}${p}`, why: "the victim's run", expect: 200, empty: true })),
    },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...a.runIds), paging).map(([id, p]): Query => ({ qs: `run_id=${id}${p}`, why: 'own run', expect: 200 })) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom('x', '', 'not-a-uuid', `${v.runIds[2]}'`, `${v.runIds[2]}%00`, `${v.runIds[2]}%20OR%201%3D1`, "'%20OR%20'1'%3D'1", '%zz', v.tenant, '*')
        .map((junk): Query => ({ qs: `run_id=${junk}`, why: 'junk run_id', expect: 'reject' })),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(`tenant_id=${v.tenant}`, `tenant=${v.tenant}`, `runId=${v.runIds[2]}`, 'run_id[]=x', `run_id[$ne]=${a.runIds[0]}`, `run_id=${a.runIds[0]}&run_id=${v.runIds[2]}`, '__proto__=1', 'constructor=x', 'paused=true', 'limit=0', 'limit=1001', `offset=1&cursor=x`)
        .map((qs): Query => ({ qs, why: 'unknown, repeated or out-of-range parameter', expect: 'reject' })),
    },
    {
      weight: 1,
      arbitrary: fc.array(fc.record({ name: fc.constantFrom('run_id', 'limit', 'x'), value: freeText(40), how: fc.constant('encoded' as const), garbage: fc.constant('') }), { maxLength: 3 }).map((ps): Query => ({ qs: queryString(ps), why: 'generated', expect: 'any' })),
    },
  );
  return fc.record({ query, cred: credential(world, 'query') }).map(({ query, cred }) => ({
    label: `GET /v1/schedules (${query.why})`,
    service: 'query' as const,
    method: 'GET',
    path: query.qs ? `/v1/schedules?${query.qs}` : '/v1/schedules',
    route: { scopes: ['audit:read' as const] },
    cred,
    expect: query.expect,
    emptyList: query.empty,
  }));
}

export function scheduleCase(world: World): fc.Arbitrary<HttpCase> {
  return fc.oneof({ weight: 5, arbitrary: creation(world) }, { weight: 4, arbitrary: act(world) }, { weight: 2, arbitrary: list(world) });
}
