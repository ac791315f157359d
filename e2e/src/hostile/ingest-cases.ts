import fc from 'fast-check';
import { credential } from './credentials';
import { FRESH_ID, MARK, RawJson, objectOf, type Template } from './template';
import {
  BAD_DATES,
  INJECTION,
  ODD_NUMBERS,
  freeText,
  longText,
  notAString,
  withLoneSurrogate,
  withNul,
  zonedDate,
} from './text';
import { combine, type Expect, type HttpCase, type RouteSpec, type WireMutation, type World } from './world';

const WRITE: RouteSpec = { scopes: ['events:write'] };
const HOUR = 3_600_000;
/** Event times: in the past, far enough for a run of up to ten hours to have finished. */
const PAST = { min: new Date('2000-01-01T00:00:00Z'), max: new Date(Date.now() - 11 * HOUR) };

/** One change to an otherwise valid item, and what it must lead to. */
export interface Mutation {
  why: string;
  path: string[];
  op: 'none' | 'set' | 'delete';
  value?: Template;
  expect: Expect;
}

type Obj = { [key: string]: Template };

function clone(t: Template): Template {
  if (t instanceof RawJson || t === null || typeof t !== 'object') return t;
  if (Array.isArray(t)) return t.map(clone);
  return objectOf(Object.keys(t).map((k) => [k, clone((t as Obj)[k])]));
}

export function applyMutation(item: Obj, m: Mutation): Obj {
  const out = clone(item) as Obj;
  if (m.op === 'none') return out;
  let parent: Obj = out;
  for (const p of m.path.slice(0, -1)) {
    const next = parent[p];
    if (next === null || typeof next !== 'object' || Array.isArray(next) || next instanceof RawJson) return out;
    parent = next as Obj;
  }
  const last = m.path[m.path.length - 1];
  if (m.op === 'delete') delete parent[last];
  else if (last === '__proto__' || !(last in parent)) Object.defineProperty(parent, last, { value: m.value, enumerable: true, writable: true, configurable: true });
  else parent[last] = m.value ?? null;
  return out;
}

/** Free text carrying the item's marker, at most `max` code units. */
function marked(max: number): fc.Arbitrary<string> {
  return freeText(max - MARK.length).map((t) => `${MARK}${t}`);
}

const deep = fc
  .tuple(fc.integer({ min: 33, max: 40_000 }), fc.constantFrom('[', '{"a":'))
  .map(([depth, open]) => new RawJson(open === '[' ? '['.repeat(depth) + ']'.repeat(depth) : `${open.repeat(depth)}1${'}'.repeat(depth)}`));

const oddNumber = fc.constantFrom(...ODD_NUMBERS).map((n) => new RawJson(n));

/** Names of fields no item may carry (the server stamps tenant and submitter itself). */
const UNKNOWN_FIELDS = [
  'tenantId',
  'tenant_id',
  'tenant',
  'submitter',
  'submittedBy',
  'receivedAt',
  'streamSeq',
  'updatedAt',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  'isPrototypeOf',
  '__defineGetter__',
  '$where',
  'id ',
  'eventID',
  '',
];

function unknownField(known: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...UNKNOWN_FIELDS),
    fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !known.includes(k)),
  );
}

/** Mutations every string field shares. */
function stringFieldMutations(path: string[], required: boolean, extraInvalid: fc.Arbitrary<Template>[] = []): fc.Arbitrary<Mutation>[] {
  const set = (why: string, expect: Expect) => (value: Template): Mutation => ({ why, path, op: 'set', value, expect });
  return [
    notAString.map(set('wrong type', 'reject')),
    withNul.map(set('NUL', 'reject')),
    withLoneSurrogate.map(set('lone surrogate', 'reject')),
    deep.map(set('deep nesting', 'reject')),
    oddNumber.map(set('odd number', 'reject')),
    fc.constant<Mutation>({ why: 'null', path, op: 'set', value: null, expect: required ? 'reject' : 'any' }),
    fc.constant<Mutation>({ why: 'absent', path, op: 'delete', expect: required ? 'reject' : 'accept' }),
    ...extraInvalid.map((a) => a.map(set('invalid value', 'reject'))),
  ];
}

function freeFieldMutations(path: string[], required: boolean, max: number): fc.Arbitrary<Mutation>[] {
  return [
    ...stringFieldMutations(path, required, [longText(max + 1, 5000)]),
    freeText(max).filter((s) => !required || s.length > 0).map((value): Mutation => ({ why: 'adversarial text', path, op: 'set', value, expect: 'accept' })),
    fc.constant<Mutation>({ why: 'at the length limit', path, op: 'set', value: '😀'.repeat(max / 2), expect: 'accept' }),
  ];
}

const uuidLike = fc.oneof(
  fc.constantFrom('not-a-uuid', '{00000000-0000-0000-0000-000000000000}', '000000000000000000000000000000000000', 'g0000000-0000-0000-0000-000000000000', ' 8c4f7d4e-1b7a-4c1e-9e7f-0d5d0c0f7a10', '8c4f7d4e-1b7a-4c1e-9e7f-0d5d0c0f7a10 ', "' OR 1=1 --"),
  fc.uuid().map((u) => u.replace(/-/g, '')),
  fc.uuid().map((u) => `${u}x`),
);

function uuidFieldMutations(path: string[], required: boolean, world: World, runIds = world.victim.runIds): fc.Arbitrary<Mutation>[] {
  const foreign = [...world.victim.eventIds, ...runIds, ...world.victim.commandIds];
  return [
    ...stringFieldMutations(path, required, [uuidLike]),
    fc.constantFrom(...foreign).map((value): Mutation => ({ why: "the victim's id", path, op: 'set', value, expect: 'accept' })),
    fc.constantFrom(...foreign).map((value): Mutation => ({ why: "the victim's id, upper case", path, op: 'set', value: value.toUpperCase(), expect: 'accept' })),
    fc.uuid().map((value): Mutation => ({ why: 'generated uuid', path, op: 'set', value, expect: 'accept' })),
  ];
}

function dateFieldMutations(path: string[], required: boolean): fc.Arbitrary<Mutation>[] {
  return [
    ...stringFieldMutations(path, required, [fc.constantFrom(...BAD_DATES)]),
    fc.integer({ min: 10, max: 5_000_000 }).map((minutes): Mutation => ({
      why: 'too far in the future',
      path,
      op: 'set',
      value: new Date(Date.now() + minutes * 60_000).toISOString(),
      expect: 'reject',
    })),
  ];
}

/** A field with a pattern: strings that miss it (injection strings included) are refused. */
function patternFieldMutations(path: string[], required: boolean, pattern: RegExp, invalid: string[]): fc.Arbitrary<Mutation>[] {
  const misses = [...invalid, ...INJECTION].filter((s) => !pattern.test(s));
  return [
    ...stringFieldMutations(path, required, [fc.constantFrom(...misses)]),
    fc.stringMatching(pattern).map((value): Mutation => ({ why: 'valid pattern', path, op: 'set', value, expect: 'accept' })),
  ];
}

function unknownFieldMutation(parent: string[], known: string[]): fc.Arbitrary<Mutation> {
  return fc.tuple(unknownField(known), fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null), fc.constant({}))).map(
    ([name, value]): Mutation => ({ why: 'unknown field', path: [...parent, name], op: 'set', value, expect: 'reject' }),
  );
}

// ---------------------------------------------------------------- audit events

const AUDIT_FIELDS = ['eventId', 'happenedAt', 'action', 'version', 'entityType', 'entityId', 'entityName', 'sourceType', 'sourceId', 'sourceName', 'success', 'context', 'changes', 'correlationId'];

function validAudit(world: World): fc.Arbitrary<Obj> {
  return fc
    .record(
      {
        eventId: fc.oneof({ weight: 10, arbitrary: fc.constant(FRESH_ID) }, { weight: 1, arbitrary: fc.constantFrom(...world.victim.eventIds, ...world.victim.runIds) }),
        happenedAt: zonedDate(PAST.min, PAST.max),
        action: fc.constantFrom('Create', 'Update', 'Delete', 'Login', 'Logout', 'Rotate'),
        version: fc.constantFrom('1.0', '2', 'v1'),
        entityType: fc.constantFrom('Project', 'Department', 'User', 'Group', 'Login', 'Settings', 'Applications'),
        entityId: marked(256),
        entityName: marked(256),
        sourceType: fc.constantFrom('User', 'Application'),
        sourceId: marked(256),
        sourceName: marked(256),
        success: fc.boolean(),
        context: fc.record({ user_agent: marked(1024), ip_address: fc.oneof(fc.ipV4(), fc.ipV6()) }, { requiredKeys: [] }),
      },
      { requiredKeys: ['happenedAt', 'action', 'entityType', 'sourceType', 'sourceName'] },
    )
    .map((r) => r as Obj);
}

function contextMutations(): fc.Arbitrary<Mutation>[] {
  const path = ['context'];
  const set = (why: string, expect: Expect) => (value: Template): Mutation => ({ why, path, op: 'set', value, expect });
  return [
    fc.constantFrom<Template>('a string', 42, [], ['x'], true).map(set('not an object', 'reject')),
    fc.integer({ min: 17, max: 40 }).map((n) => objectOf(Array.from({ length: n }, (_, i): [string, Template] => [`k${i}`, 'v'])) ).map(set('too many keys', 'reject')),
    fc.tuple(fc.constantFrom('user_agent', 'k'), notAString).map(([k, v]) => objectOf([[k, v]])).map(set('non-string value', 'reject')),
    fc.constantFrom('999.1.1.1', '10.0.0', 'localhost', '::g', '10.0.0.1/24', '', ' 10.0.0.1', '1.2.3.4\n').map((ip) => objectOf([['ip_address', ip]])).map(set('not an IP address', 'reject')),
    fc.constantFrom('a b', 'ключ', '', 'k'.repeat(65), 'a\u0000', '__proto__', 'constructor', 'toString', 'x/y').map((k) => objectOf([[k, 'v']])).map(set('bad key', 'reject')),
    fc.integer({ min: 5, max: 8 }).map((n) => objectOf(Array.from({ length: n }, (_, i): [string, Template] => [`k${i}`, 'x'.repeat(1000)]))).map(set('over 4 KiB', 'reject')),
    fc.constant(objectOf([['user_agent', 'u'.repeat(1025)]])).map(set('user_agent over 1024', 'reject')),
    withLoneSurrogate.map((v) => objectOf([['k', v]])).map(set('lone surrogate in a value', 'reject')),
    withNul.map((v) => objectOf([['k', v]])).map(set('NUL in a value', 'reject')),
    deep.map((v) => objectOf([['k', v]])).map(set('deep value', 'reject')),
    fc.tuple(freeText(200), fc.ipV6()).map(([ua, ip]) => objectOf([['user_agent', `${MARK}${ua}`], ['ip_address', ip], ['extra.key-1_x', 'v']])).map(set('valid context', 'accept')),
  ];
}

/** Any JSON value a change may hold: scalars, unicode, the item's marker, shallow arrays and objects. */
const changeValue: fc.Arbitrary<Template> = fc.letrec<{ value: Template }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 2, withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    freeText(24),
    fc.constant(MARK),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(fc.tuple(fc.constantFrom('a', 'b c', 'ключ', '', 'before', '$ne', '😀'), tie('value')), { maxLength: 3 }).map((entries) => objectOf(entries)),
  ),
})).value;

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
/** Field names the unsafe-input check refuses whatever their pattern says. */
const RESERVED = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** One `{ before, after }`, either side optional. */
const change: fc.Arbitrary<Template> = fc
  .record({ before: changeValue, after: changeValue }, { requiredKeys: [] })
  .map((c) => objectOf(Object.entries(c) as [string, Template][]));

function changesMutations(): fc.Arbitrary<Mutation>[] {
  const path = ['changes'];
  const set = (why: string, expect: Expect) => (value: Template): Mutation => ({ why, path, op: 'set', value, expect });
  const fields = (n: number, value: Template = objectOf([['after', 1]])) => objectOf(Array.from({ length: n }, (_, i): [string, Template] => [`f${i}`, value]));
  return [
    fc
      .array(fc.tuple(fc.stringMatching(FIELD_NAME).filter((k) => !RESERVED.has(k)), change), { minLength: 1, maxLength: 4 })
      .map((entries) => objectOf([...entries, ['marked', objectOf([['after', MARK]])]]))
      .map(set('valid changes', 'accept')),
    fc.constant(fields(64)).map(set('64 fields', 'accept')),
    fc.constant<Mutation>({ why: 'null changes', path, op: 'set', value: null, expect: 'accept' }),
    fc.constantFrom<Template>('a string', 42, [], [objectOf([['before', 1]])], true).map(set('not an object', 'reject')),
    fc.integer({ min: 65, max: 100 }).map((n) => fields(n)).map(set('too many fields', 'reject')),
    fc.integer({ min: 16_400, max: 40_000 }).map((n) => objectOf([['f', objectOf([['after', 'x'.repeat(n)]])]])).map(set('over 16 KiB', 'reject')),
    fc.constantFrom('', '1a', 'a b', 'k'.repeat(65), 'ключ', 'a/b', '$where', '-x', 'a\nb').map((k) => objectOf([[k, objectOf([['after', 1]])]])).map(set('bad field name', 'reject')),
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty').map((k) => objectOf([[k, objectOf([['after', 1]])]])).map(set('reserved field name', 'reject')),
    fc
      .constantFrom<Template>(3, null, 'x', [1, 2], objectOf([['before', 1], ['after', 2], ['by', 'x']]), objectOf([['old', 1]]), objectOf([['__proto__', objectOf([['after', 1]])]]))
      .map((c) => objectOf([['replicas', c]]))
      .map(set('not { before, after }', 'reject')),
    withNul.map((v) => objectOf([['f', objectOf([['before', v]])]])).map(set('NUL in a value', 'reject')),
    withLoneSurrogate.map((v) => objectOf([['f', objectOf([['after', [v]]])]])).map(set('lone surrogate in a value', 'reject')),
    deep.map((v) => objectOf([['f', objectOf([['after', v]])]])).map(set('deep value', 'reject')),
    fc.constantFrom('constructor', '__proto__', 'prototype').map((k) => objectOf([['f', objectOf([['after', objectOf([[k, objectOf([['polluted', true]])]])]])]])).map(set('reserved key inside a value', 'reject')),
  ];
}

/** `correlationId`: 1 to 128 printable characters (code points), optional. */
function correlationIdMutations(): fc.Arbitrary<Mutation>[] {
  const path = ['correlationId'];
  const set = (why: string, expect: Expect) => (value: Template): Mutation => ({ why, path, op: 'set', value, expect });
  return [
    ...stringFieldMutations(path, false, [fc.constant(''), longText(129, 500), fc.constantFrom('a\nb', '\t', 'x\u007f', '\u0085', 'a\rb', '\u001b[31m')]),
    freeText(100)
      .map((t) => `${MARK}${t}`)
      // eslint-disable-next-line no-control-regex -- the rule is "no control characters"
      .map((v): Mutation => ({ why: 'adversarial correlation id', path, op: 'set', value: v, expect: /[\u0000-\u001f\u007f-\u009f]/.test(v) ? 'reject' : 'accept' })),
    fc.constantFrom('c'.repeat(128), '😀'.repeat(128), MARK.padEnd(128, 'x')).map(set('at the length limit', 'accept')),
  ];
}

function auditMutation(world: World): fc.Arbitrary<Mutation> {
  const pattern = (name: string, re: RegExp, invalid: string[]) => patternFieldMutations([name], true, re, invalid);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant<Mutation>({ why: 'valid as generated', path: [], op: 'none', expect: 'accept' }) },
    { weight: 2, arbitrary: fc.oneof(...uuidFieldMutations(['eventId'], false, world)) },
    { weight: 2, arbitrary: fc.oneof(...dateFieldMutations(['happenedAt'], true)) },
    { weight: 2, arbitrary: fc.oneof(...pattern('action', /^[A-Z][A-Za-z]{0,31}$/, ['update', 'Up date', 'A'.repeat(33), '1Update', 'Update1', 'Ünicode', '', 'Run;'])) },
    { weight: 2, arbitrary: fc.oneof(...pattern('entityType', /^[A-Za-z][A-Za-z0-9_-]{0,63}$/, ['', '-x', '1x', 'a b', 'x'.repeat(65), 'Pro/ject', 'Ω'])) },
    { weight: 1, arbitrary: fc.oneof(...stringFieldMutations(['version'], false, [fc.constant(''), longText(33, 200)])) },
    { weight: 4, arbitrary: fc.oneof(...['entityId', 'entityName', 'sourceId'].flatMap((f) => freeFieldMutations([f], false, 256))) },
    { weight: 2, arbitrary: fc.oneof(...freeFieldMutations(['sourceName'], true, 256), fc.constant<Mutation>({ why: 'empty', path: ['sourceName'], op: 'set', value: '', expect: 'reject' })) },
    { weight: 1, arbitrary: fc.oneof(...stringFieldMutations(['sourceType'], true, [fc.constantFrom('user', 'APPLICATION', 'Root', 'System', '')])) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom<Template>('true', 'false', 1, 0, 'yes', [], {}, new RawJson('tru'))
        .map((value): Mutation => ({ why: 'success not a boolean', path: ['success'], op: 'set', value, expect: 'reject' })),
    },
    { weight: 3, arbitrary: fc.oneof(...contextMutations()) },
    { weight: 3, arbitrary: fc.oneof(...changesMutations()) },
    { weight: 2, arbitrary: fc.oneof(...correlationIdMutations()) },
    { weight: 3, arbitrary: unknownFieldMutation([], AUDIT_FIELDS) },
  );
}

// ---------------------------------------------------------------- action runs

const RUN_FIELDS = ['id', 'workspace', 'block', 'action', 'status', 'startedAt', 'finishedAt', 'durationMs', 'exitCode', 'cliVersion', 'hostname', 'osUser', 'retriggeredFrom', 'commandId', 'correlationId'];
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const BAD_NAMES = ['', '-x', '.x', 'a b', 'a/b', 'x'.repeat(129), 'a;b', '$(id)', '`id`', '../x', 'nginx\n', 'é', '{block}', '*'];

function validRun(): fc.Arbitrary<Obj> {
  return fc
    .record({
      status: fc.constantFrom('running', 'successful', 'failed', 'aborted'),
      start: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: PAST.max, noInvalidDate: true }),
      minutes: fc.integer({ min: 0, max: 600 }),
      exit: fc.integer({ min: 1, max: 255 }),
      ws: fc.constantFrom('acme-prod', 'acme-staging', 'db.internal', 'x'),
      block: fc.constantFrom('nginx', 'postgres', 'db-maintenance', 'a.b_c-d'),
      from: fc.option(fc.constantFrom('cargo.example/infra/nginx:0.3.1', 'nginx', 'oci://reg/x/y:1.2.3', 'local-block'), { nil: undefined }),
      action: fc.constantFrom('deploy', 'restart', 'patch', 'uninstall'),
      withDuration: fc.boolean(),
    })
    .map((r) => {
      const finished = r.status !== 'running';
      const startedAt = r.start.toISOString();
      const finishedAt = new Date(r.start.getTime() + r.minutes * 60_000).toISOString();
      const run: [string, Template][] = [
        ['id', FRESH_ID],
        ['workspace', objectOf([['name', r.ws], ['organization', MARK]])],
        ['block', objectOf(r.from === undefined ? [['name', r.block]] : [['name', r.block], ['from', r.from]])],
        ['action', r.action],
        ['status', r.status],
        ['startedAt', startedAt],
      ];
      if (finished) run.push(['finishedAt', finishedAt]);
      if (finished && r.withDuration) run.push(['durationMs', r.minutes * 60_000]);
      if (r.status === 'successful') run.push(['exitCode', 0]);
      if (r.status === 'failed') run.push(['exitCode', r.exit]);
      run.push(['cliVersion', MARK], ['hostname', MARK], ['osUser', MARK]);
      return objectOf(run);
    });
}

function runMutation(world: World): fc.Arbitrary<Mutation> {
  const safe = (path: string[], required: boolean) => patternFieldMutations(path, required, SAFE_NAME, BAD_NAMES);
  const set = (path: string[], why: string, expect: Expect) => (value: Template): Mutation => ({ why, path, op: 'set', value, expect });
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant<Mutation>({ why: 'valid as generated', path: [], op: 'none', expect: 'accept' }) },
    { weight: 2, arbitrary: fc.oneof(...uuidFieldMutations(['id'], true, world, world.victim.reusableRunIds)) },
    {
      weight: 3,
      arbitrary: fc.oneof(
        ...safe(['workspace', 'name'], true),
        ...freeFieldMutations(['workspace', 'organization'], false, 256),
        fc.constantFrom<Template>('acme-prod', ['acme-prod'], {}, 42).map(set(['workspace'], 'workspace not an object with a name', 'reject')),
        fc.constant<Mutation>({ why: 'no workspace', path: ['workspace'], op: 'delete', expect: 'reject' }),
        unknownFieldMutation(['workspace'], ['name', 'organization']),
      ),
    },
    {
      weight: 3,
      arbitrary: fc.oneof(
        ...safe(['block', 'name'], true),
        ...stringFieldMutations(['block', 'from'], false, [fc.constantFrom('a b', 'x:1 ', '\tx'), longText(257, 1000)]),
        ...stringFieldMutations(['block', 'version'], false, [fc.constantFrom('', '1 2', ' 1'), longText(129, 500)]),
        fc.constantFrom<Template>('nginx', null, [], 7).map(set(['block'], 'block not an object', 'reject')),
        unknownFieldMutation(['block'], ['name', 'from', 'version']),
      ),
    },
    { weight: 2, arbitrary: fc.oneof(...safe(['action'], true)) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        ...stringFieldMutations(['status'], true, [fc.constantFrom('Running', 'success', 'done', '', 'failed ', 'running,failed')]),
        fc.constantFrom('running', 'successful', 'failed', 'aborted').map(set(['status'], 'another status', 'any')),
      ),
    },
    { weight: 2, arbitrary: fc.oneof(...dateFieldMutations(['startedAt'], true)) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        ...dateFieldMutations(['finishedAt'], false).map((a) => a.map((m): Mutation => (m.expect === 'accept' ? { ...m, expect: 'any' } : m))),
        fc.constant<Mutation>({ why: 'finished before it started', path: ['finishedAt'], op: 'set', value: '1999-12-31T23:59:59Z', expect: 'reject' }),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constantFrom<Template>(-1, 1.5, '5', 2 ** 53, true, [], new RawJson('1e309'), new RawJson('-0.0000001')).map(set(['durationMs'], 'bad duration', 'reject')),
        fc.integer({ min: 0, max: 2 ** 40 }).map(set(['durationMs'], 'valid duration', 'accept')),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constantFrom<Template>(1.5, '0', 2 ** 31, -(2 ** 31) - 1, true, [], {}, new RawJson('1e309')).map(set(['exitCode'], 'bad exit code', 'reject')),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map(set(['exitCode'], 'any exit code', 'any')),
        fc.constant<Mutation>({ why: 'no exit code', path: ['exitCode'], op: 'delete', expect: 'any' }),
      ),
    },
    { weight: 3, arbitrary: fc.oneof(...['cliVersion', 'hostname', 'osUser'].flatMap((f) => freeFieldMutations([f], false, 256))) },
    { weight: 2, arbitrary: fc.oneof(...uuidFieldMutations(['retriggeredFrom'], false, world), ...uuidFieldMutations(['commandId'], false, world)) },
    { weight: 2, arbitrary: fc.oneof(...correlationIdMutations()) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Template>(objectOf([['f', objectOf([['after', 1]])]]), null).map(
        (value): Mutation => ({ why: 'changes on a run', path: ['changes'], op: 'set', value, expect: 'reject' }),
      ),
    },
    { weight: 3, arbitrary: unknownFieldMutation([], [...RUN_FIELDS, 'changes', 'sourceName', 'sourceType']) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('sourceName', 'sourceType', 'sourceId', 'tenantId', 'submitter').map(
        (name): Mutation => ({ why: 'server-stamped field', path: [name], op: 'set', value: 'root', expect: 'reject' }),
      ),
    },
  );
}

// ---------------------------------------------------------------- bodies and cases

export interface IngestKind {
  path: '/v1/audit-events' | '/v1/action-runs';
  sink: 'audit' | 'run';
  valid: fc.Arbitrary<Obj>;
  mutation: fc.Arbitrary<Mutation>;
}

export function auditKind(world: World): IngestKind {
  return { path: '/v1/audit-events', sink: 'audit', valid: validAudit(world), mutation: auditMutation(world) };
}

export function runKind(world: World): IngestKind {
  return { path: '/v1/action-runs', sink: 'run', valid: validRun(), mutation: runMutation(world) };
}

const mutatedItem = (kind: IngestKind) =>
  fc.tuple(kind.valid, kind.mutation).map(([item, m]) => ({ item: applyMutation(item, m), m }));

/** A body: one item, a small batch, or a batch of the wrong size or shape. */
function bodyOf(kind: IngestKind): fc.Arbitrary<{ template: Template; expect: Expect; why: string }> {
  return fc.oneof(
    { weight: 12, arbitrary: mutatedItem(kind).map(({ item, m }) => ({ template: item, expect: m.expect, why: m.why })) },
    {
      weight: 4,
      arbitrary: fc.array(mutatedItem(kind), { minLength: 1, maxLength: 4 }).map((items) => ({
        template: items.map((i) => i.item),
        expect: combine(items.map((i) => i.m.expect)),
        why: `batch: ${items.map((i) => i.m.why).join(', ')}`,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(kind.valid, fc.integer({ min: 1001, max: 1200 })).map(([item, n]) => ({
        template: Array.from({ length: n }, () => item),
        expect: 'reject' as Expect,
        why: `batch of ${n}`,
      })),
    },
    { weight: 1, arbitrary: fc.constant({ template: [] as Template, expect: 'reject' as Expect, why: 'empty batch' }) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom<Template>(null, 42, 'event', true, [1, 2], [[]], [null], ['x'], new RawJson('{}'), objectOf([['__proto__', objectOf([['tenantId', 'victim']])]]))
        .map((template) => ({ template, expect: 'reject' as Expect, why: 'not an object or array of objects' })),
    },
  );
}

/** Rarely: a full batch of 1000 valid items, which must be accepted whole. */
export function fullBatch(kind: IngestKind): fc.Arbitrary<{ template: Template; expect: Expect; why: string }> {
  return kind.valid.map((item) => ({ template: Array.from({ length: 1000 }, () => item), expect: 'accept' as Expect, why: 'batch of 1000' }));
}

export function ingestCase(world: World, kind: IngestKind): fc.Arbitrary<HttpCase> {
  return fc
    .tuple(fc.oneof({ weight: 300, arbitrary: bodyOf(kind) }, { weight: 1, arbitrary: fullBatch(kind) }), credential(world, 'ingest'))
    .map(([body, cred]) => ({
      label: `${kind.path}: ${body.why}`,
      service: 'ingest' as const,
      method: 'POST',
      path: kind.path,
      route: WRITE,
      cred,
      body: { template: body.template },
      expect: body.expect,
      sink: kind.sink,
    }));
}

// ---------------------------------------------------------------- raw bodies

const INVALID_UTF8: number[][] = [
  [0xff],
  [0xfe, 0xff],
  [0xc0, 0xae],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0x80],
  [0xc3],
  [0xf0, 0x9f, 0x98],
];

/** Byte-level damage and content types, and whether the body's own verdict still holds. */
const wireMutation: fc.Arbitrary<{ wire?: WireMutation; contentType?: string | null; verdict: 'keeps' | 'reject' | 'any'; why: string }> = fc.oneof(
  fc.constantFrom(...INVALID_UTF8).map((bytes) => ({ wire: { kind: 'insertBytes' as const, bytes }, verdict: 'reject' as const, why: `invalid UTF-8 ${bytes.map((b) => b.toString(16)).join(' ')}` })),
  fc.double({ min: 0, max: 0.999, noNaN: true }).map((keep) => ({ wire: { kind: 'truncate' as const, keep }, verdict: 'reject' as const, why: 'truncated' })),
  fc.constant({ wire: { kind: 'prefix' as const, bytes: [0xef, 0xbb, 0xbf] as number[], breaks: false }, verdict: 'any' as const, why: 'UTF-8 BOM' }),
  fc.constantFrom(' \n\t', '\r\n').map((ws) => ({ wire: { kind: 'suffix' as const, text: ws, breaks: false }, verdict: 'keeps' as const, why: 'trailing white space' })),
  fc.constantFrom('}', ',', ']', 'x', '/* c */', '\u0000', '{}').map((text) => ({ wire: { kind: 'suffix' as const, text, breaks: true }, verdict: 'reject' as const, why: `trailing ${JSON.stringify(text)}` })),
  fc.constantFrom('', ' ', 'null', '{', '"', "{'action':'Update'}", '{"a":1,}', '[,]', '{"a" 1}', 'undefined', '\u0000', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}').map((text) => ({ wire: { kind: 'replace' as const, text }, verdict: 'reject' as const, why: `body ${JSON.stringify(text)}` })),
  // A repeated member: JSON.parse keeps the last one, so the verdict is the last value's.
  fc.constantFrom(',"sourceType":"Nobody"', ',"tenantId":"x"', ',"status":"bogus"', ',"action":"-"').map((text) => ({ wire: { kind: 'appendMember' as const, text }, verdict: 'reject' as const, why: `duplicate or extra member ${text}` })),
  fc.constant({ wire: { kind: 'appendMember' as const, text: ',"action":"Update"' }, verdict: 'any' as const, why: 'a valid member repeated' }),
  fc.constant({ wire: { kind: 'oversize' as const }, verdict: 'reject' as const, why: 'over 1 MiB' }),
  // Compressed bodies may be taken or refused (415), but a body that does not decode is a 4xx.
  fc.constantFrom('gzip' as const, 'deflate' as const, 'br' as const).map((encoding) => ({ wire: { kind: 'encoding' as const, encoding, compressed: true }, verdict: 'any' as const, why: `${encoding}-compressed` })),
  fc.constantFrom('gzip' as const, 'deflate' as const, 'br' as const).map((encoding) => ({ wire: { kind: 'encoding' as const, encoding, compressed: false }, verdict: 'reject' as const, why: `labelled ${encoding}, not compressed` })),
  fc
    .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/jsonx', 'json', '*/*')
    .map((contentType) => ({ contentType, verdict: 'reject' as const, why: `content type ${contentType}` })),
  fc.constant({ contentType: null, verdict: 'reject' as const, why: 'no content type' }),
  fc.constantFrom('application/json; charset=utf-8', 'APPLICATION/JSON', 'application/vnd.runtrail+json', 'application/json;charset="UTF-8"').map((contentType) => ({ contentType, verdict: 'keeps' as const, why: `content type ${contentType}` })),
);

export function rawBodyCase(world: World, kind: IngestKind): fc.Arbitrary<HttpCase> {
  return fc.tuple(mutatedItem(kind), wireMutation, credential(world, 'ingest')).map(([{ item, m }, w, cred]) => ({
    label: `${kind.path} raw: ${w.why} (${m.why})`,
    service: 'ingest' as const,
    method: 'POST',
    path: kind.path,
    route: WRITE,
    cred,
    body: { template: item, wire: w.wire, contentType: w.contentType },
    expect: w.verdict === 'keeps' ? m.expect : w.verdict,
    sink: kind.sink,
  }));
}

