import fc from 'fast-check';
import { ActionRunDto, SAFE_NAME_PATTERN } from '../action-run/action-run.dto';
import { validateActionRunBatch } from '../action-run/action-run.schema';
import { normalizeActionRun } from '../action-run/normalize-action-run';
import { AUDIT_ACTION_PATTERN, AuditEventDto, ENTITY_TYPE_PATTERN } from '../audit-event/audit-event.dto';
import { validateAuditEventBatch } from '../audit-event/audit-event.schema';
import { normalizeAuditEvent } from '../audit-event/normalize-audit-event';
import type { ClassConstructor } from 'class-transformer';
import { MAX_BATCH_SIZE, validateBatch, type BatchValidation } from './batch';

/**
 * The gateway validates with compiled schemas (ADR 0022); the class-validator DTOs stay
 * the contract. These properties hold the two to the same verdict on every body, and the
 * accepted items to the same stored events: bodies are built from a valid item by setting
 * fields (known, nested or unknown) to values at and around every rule's edge, or to any
 * JSON at all, and by deleting them.
 */

/** Both sides read the clock: the times are generated around one fixed instant. */
const NOW = Date.parse('2026-11-30T12:00:00.000Z');
beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => jest.restoreAllMocks());

const RUNS = { numRuns: 4000 };

const repeat = (unit: string, n: number) => unit.repeat(Math.max(0, n));

/** Strings whose length is at, just under or just over `max` (and `min`) by every way of counting it. */
function lengthEdges(min: number, max: number): fc.Arbitrary<string> {
  const counts = [0, 1, min - 1, min, min + 1, max - 1, max, max + 1];
  const units = ['a', '😀', 'a\uFE0F', '\uFE0F', 'é', ' '];
  return fc.tuple(fc.constantFrom(...counts), fc.constantFrom(...units), fc.constantFrom('', 'b', '😀')).map(([n, unit, tail]) => repeat(unit, n) + tail);
}

const uuids = fc.oneof(
  fc.uuid(),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.uuid({ version: [1, 2, 3, 4, 5, 6, 7, 8] }),
  fc.constantFrom(
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
    '3f0c1e2a-0d4b-9c1e-9a2b-1c2d3e4f5a6b',
    '3f0c1e2a-0d4b-4c1e-7a2b-1c2d3e4f5a6b',
    '3f0c1e2a0d4b4c1e9a2b1c2d3e4f5a6b',
    '{3f0c1e2a-0d4b-4c1e-9a2b-1c2d3e4f5a6b}',
    '3f0c1e2a-0d4b-4c1e-9a2b-1c2d3e4f5a6',
  ),
);

/** Times around NOW and its 5-minute bound, in every zone form, and broken ones. */
const times = fc.oneof(
  fc.integer({ min: -20 * 60_000, max: 20 * 60_000 }).map((d) => new Date(NOW + d).toISOString()),
  fc.constantFrom(-1, 0, 1).map((d) => new Date(NOW + 5 * 60_000 + d).toISOString()),
  fc.constantFrom(
    '2022-07-07T09:45:32.069Z',
    '2022-07-07T09:45:32Z',
    '2022-07-07T09:45Z',
    '2022-07-07T11:45:32.069+02:00',
    '2022-07-07T11:45:32.069+0200',
    '2022-07-07T09:45:32.123456789Z',
    '2022-07-07T09:45:32.069',
    '2022-07-07',
    '2022-02-29T00:00:00Z',
    '2024-02-29T00:00:00Z',
    '2022-13-01T00:00:00Z',
    '2022-07-07T24:00:00Z',
    '0000-01-01T00:00:00+01:00',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '2026-11-30T12:05:00.000Z',
    '2026-11-30T12:05:00.001Z',
    '2026-11-30T13:05:00.000+01:00',
    '2026-11-30T13:05:00.001+01:00',
    '2022-07-07T09:45:32.069+24:00',
    'yesterday',
  ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);

/** Anything JSON can carry, with a bias to the shapes the rules care about. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -0, 1, -1, 1.5, 2147483647, 2147483648, -2147483649, Number.MAX_SAFE_INTEGER, 2 ** 53, 1e300, '', ' ', '0', 'true', 'null', [], {}),
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Text that no field may hold (NUL, lone surrogates) beside ordinary text. */
const unsafeText = fc.constantFrom('a\u0000b', '\ud800', 'x\udfff', '😀'.slice(0, 1));

const pattern = (re: RegExp, extra: string[]) =>
  fc.oneof(fc.stringMatching(re), fc.constantFrom(...extra), fc.stringMatching(re).map((s) => `${s}\n`), fc.stringMatching(re).map((s) => ` ${s}`));

const safeNames = pattern(SAFE_NAME_PATTERN, ['a', '.a', '-a', 'a b', 'ä', repeat('a', 128), repeat('a', 129), 'a/b', 'a:b', 'a..b', '0']);

const correlationIds = fc.oneof(lengthEdges(1, 128), fc.constantFrom('a\u0007b', '\u007f', 'a\u0085', 'gitlab-pipeline-1', repeat('😀', 128), repeat('😀', 129)));

/** Key names a context or changes object may get, valid and not. */
const mapKeys = fc.oneof(
  fc.constantFrom('user_agent', 'ip_address', 'a', 'a.b', 'a-b_c', 'A9', repeat('k', 64), repeat('k', 65), '', 'a b', 'ä', 'spec.image', '_x', '9x', '-x', 'constructor', 'toString'),
  fc.string({ maxLength: 8 }),
);

const contexts = fc.oneof(
  fc.dictionary(mapKeys, fc.oneof(fc.string({ maxLength: 20 }), lengthEdges(0, 1024), anyJson), { maxKeys: 4 }),
  fc.record({ ip_address: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('10.244.0.0', '256.1.1.1', '::1', '1.2.3', 'fe80::1%eth0', '')) }),
  fc.integer({ min: 15, max: 17 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']))),
  fc.integer({ min: 4040, max: 4100 }).map((n) => ({ big: repeat('x', n - 10) })),
  anyJson,
);

const changes = fc.oneof(
  fc.dictionary(
    mapKeys,
    fc.oneof(fc.record({ before: anyJson, after: anyJson }, { requiredKeys: [] }), fc.record({ before: anyJson, other: anyJson }), anyJson),
    { maxKeys: 3 },
  ),
  fc.integer({ min: 63, max: 65 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, { after: i }]))),
  fc.integer({ min: 16_340, max: 16_400 }).map((n) => ({ big: { after: repeat('x', n - 20) } })),
  anyJson,
);

/** A field to set and the values worth trying on it. */
type Palette = Record<string, fc.Arbitrary<unknown>>;

const NAME = lengthEdges(0, 256);

const AUDIT_FIELDS: Palette = {
  eventId: uuids,
  happenedAt: times,
  action: pattern(AUDIT_ACTION_PATTERN, ['Create', 'Update', 'Delete', 'Login', 'Logout', 'update', 'A', repeat('A', 32), repeat('A', 33), 'Up date', 'Ä']),
  version: lengthEdges(1, 32),
  entityType: pattern(ENTITY_TYPE_PATTERN, ['Project', '_x', 'a', repeat('a', 64), repeat('a', 65), 'a.b']),
  entityId: NAME,
  entityName: NAME,
  sourceType: fc.constantFrom('User', 'Application', 'user', 'Nobody', ''),
  sourceId: NAME,
  sourceName: lengthEdges(1, 256),
  success: fc.constantFrom(true, false, 'true', 0, 1),
  context: contexts,
  changes,
  correlationId: correlationIds,
};

const WORKSPACE_FIELDS: Palette = { name: safeNames, organization: NAME };
const BLOCK_FIELDS: Palette = {
  name: safeNames,
  from: fc.oneof(lengthEdges(1, 256), fc.constantFrom('cargo.ayedo.cloud/ayedo/infra/nginx:0.3.1', 'a b', 'a\tb', 'x\n', ' ')),
  version: fc.oneof(lengthEdges(1, 128), fc.constantFrom('0.3.1', '1 0', 'v\u00a0')),
};

const RUN_FIELDS: Palette = {
  id: uuids,
  workspace: fc.oneof(fc.record({ name: safeNames }), anyJson),
  block: fc.oneof(fc.record({ name: safeNames }), anyJson),
  action: safeNames,
  status: fc.constantFrom('running', 'successful', 'failed', 'aborted', 'Running', 'done'),
  startedAt: times,
  finishedAt: times,
  durationMs: fc.constantFrom(0, -1, 1, 1.5, Number.MAX_SAFE_INTEGER, 2 ** 53, '5', null),
  exitCode: fc.constantFrom(0, 1, -1, 255, 2147483647, 2147483648, -2147483648, -2147483649, 1.5, '0', null, true),
  cliVersion: NAME,
  hostname: NAME,
  osUser: NAME,
  retriggeredFrom: uuids,
  commandId: uuids,
  correlationId: correlationIds,
};

const UNKNOWN_FIELDS = fc.constantFrom('tenantId', 'submitter', 'foo', 'eventid', 'EventId', 'receivedAt', 'id ', '');

type Edit = { path: string[]; value?: unknown; remove: boolean };

/** One edit: a known field (nested ones too) set to a value of its palette or any JSON, deleted, or an unknown field added. */
function edits(fields: Palette, nested: Record<string, Palette>): fc.Arbitrary<Edit> {
  const known = Object.entries(fields).map(([name, values]) =>
    fc.record({ path: fc.constant([name]), value: fc.oneof({ weight: 4, arbitrary: values }, { weight: 1, arbitrary: anyJson }, { weight: 1, arbitrary: unsafeText }), remove: fc.boolean().map((b) => b && Math.random() < 0.3) }),
  );
  const inner = Object.entries(nested).flatMap(([parent, palette]) =>
    Object.entries(palette).map(([name, values]) =>
      fc.record({ path: fc.constant([parent, name]), value: fc.oneof(values, anyJson), remove: fc.boolean().map((b) => b && Math.random() < 0.3) }),
    ),
  );
  const unknown = Object.keys(nested).map((parent) =>
    fc.record({ path: fc.tuple(fc.constant(parent), UNKNOWN_FIELDS), value: anyJson, remove: fc.constant(false) }),
  );
  const any: fc.Arbitrary<Edit>[] = [
    ...known,
    ...inner,
    ...unknown,
    fc.record({ path: UNKNOWN_FIELDS.map((f) => [f]), value: anyJson, remove: fc.constant(false) }),
  ].map((a) => a.map((e): Edit => ({ path: [...e.path], value: e.value, remove: e.remove })));
  return fc.oneof(...any);
}

function applyEdits(base: Record<string, unknown>, list: Edit[]): Record<string, unknown> {
  const item = structuredClone(base);
  for (const { path, value, remove } of list) {
    let target: Record<string, unknown> = item;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) break;
      target = next as Record<string, unknown>;
    }
    const last = path[path.length - 1];
    if (remove) delete target[last];
    else target[last] = value;
  }
  return item;
}

const validAudit = (): Record<string, unknown> => ({
  eventId: '3f0c1e2a-0d4b-4c1e-9a2b-1c2d3e4f5a6b',
  happenedAt: '2026-11-30T11:59:00.000Z',
  action: 'Update',
  version: '1.0',
  entityType: 'Project',
  entityId: '1',
  entityName: 'team-a',
  sourceType: 'User',
  sourceId: 'a79500fb-c452-471f-adc0-b65c972bd5c2',
  sourceName: 'test@run.ai',
  success: true,
  context: { user_agent: 'Mozilla/5.0', ip_address: '10.244.0.0' },
  changes: { replicas: { before: 2, after: 3 } },
  correlationId: 'gitlab-pipeline-48213',
});

const validRun = (): Record<string, unknown> => ({
  id: '5b1f0c2e-7d4a-4e2b-8c3d-9e0f1a2b3c4d',
  workspace: { name: 'acme-prod', organization: 'acme' },
  block: { name: 'nginx', from: 'cargo.ayedo.cloud/ayedo/infra/nginx:0.3.1', version: '0.3.1' },
  action: 'deploy',
  status: 'successful',
  startedAt: '2026-11-30T11:58:00.000Z',
  finishedAt: '2026-11-30T11:59:00.000Z',
  durationMs: 60_000,
  exitCode: 0,
  cliVersion: '0.18.3',
  hostname: 'runner-1',
  osUser: 'ci',
  retriggeredFrom: '0b9c3c1e-2f3a-4b5c-8d6e-7f8091a2b3c4',
  commandId: '1c2d3e4f-5a6b-4c7d-9e8f-0a1b2c3d4e5f',
  correlationId: 'gitlab-pipeline-48213',
});

/** Only what is required: every optional field starts absent. */
const minimalAudit = (): Record<string, unknown> => ({
  happenedAt: '2026-11-30T12:04:59.999Z',
  action: 'Login',
  entityType: 'Login',
  sourceType: 'Application',
  sourceName: 'x',
});

/** A run still running (no finishedAt, no exitCode), and a failed one. */
const runningRun = (): Record<string, unknown> => ({
  id: '5b1f0c2e-7d4a-4e2b-8c3d-9e0f1a2b3c4d',
  workspace: { name: 'acme-prod' },
  block: { name: 'nginx' },
  action: 'deploy',
  status: 'running',
  startedAt: '2026-11-30T11:58:00.000Z',
});
const failedRun = (): Record<string, unknown> => ({ ...runningRun(), status: 'failed', finishedAt: '2026-11-30T11:58:00.000Z', exitCode: 2 });

interface Kind {
  name: string;
  dto: ClassConstructor<object>;
  fast(body: unknown): BatchValidation<object>;
  base(): Record<string, unknown>;
  bases: (() => Record<string, unknown>)[];
  normalize(item: object): unknown;
  edits: fc.Arbitrary<Edit>;
}

const KINDS: Kind[] = [
  {
    name: 'audit events',
    dto: AuditEventDto,
    fast: validateAuditEventBatch,
    base: validAudit,
    bases: [validAudit, minimalAudit],
    // A missing eventId is generated: compare the rest.
    normalize: (item: object) => ({ ...normalizeAuditEvent(item as AuditEventDto), eventId: undefined }),
    edits: edits(AUDIT_FIELDS, {}),
  },
  {
    name: 'action runs',
    dto: ActionRunDto,
    fast: validateActionRunBatch,
    base: validRun,
    bases: [validRun, runningRun, failedRun],
    normalize: (item: object) => normalizeActionRun(item as ActionRunDto),
    edits: edits(RUN_FIELDS, { workspace: WORKSPACE_FIELDS, block: BLOCK_FIELDS }),
  },
];

describe.each(KINDS)('compiled validation of $name', ({ dto, fast, base, bases, normalize, edits: edit }) => {
  /** The same verdict; for an accepted body the same events stored. */
  function expectSameAsDto(body: unknown): void {
    const slow = validateBatch(dto, body);
    const quick = fast(body);
    expect({ body, ok: quick.ok }).toEqual({ body, ok: slow.ok });
    if (quick.ok && slow.ok) expect(quick.items.map(normalize)).toEqual(slow.items.map(normalize));
    if (!quick.ok && !slow.ok) expect(quick.messages).toEqual(slow.messages);
  }

  const item = fc
    .tuple(fc.constantFrom(...bases), fc.array(edit, { minLength: 0, maxLength: 4 }))
    .map(([start, list]) => applyEdits(start(), list));

  it('accepts the valid items, alone and in a batch', () => {
    for (const start of bases) {
      expect(fast(start()).ok).toBe(true);
      expect(fast([start(), base()]).ok).toBe(true);
      expectSameAsDto(start());
    }
  });

  it('agrees with the DTO on single items edited at every rule', () => {
    fc.assert(fc.property(item, (one) => expectSameAsDto(one)), RUNS);
  });

  it('agrees with the DTO on batches, where one bad item refuses all', () => {
    fc.assert(fc.property(fc.array(item, { minLength: 1, maxLength: 4 }), (batch) => expectSameAsDto(batch)), { numRuns: 1000 });
  });

  it('agrees with the DTO on bodies that are not objects, or hold no objects', () => {
    for (const body of [null, undefined, 0, 'x', true, [], [null], [[]], [1], [base(), null], {}, [{}], [base(), []]]) expectSameAsDto(body);
    fc.assert(fc.property(anyJson, (body) => expectSameAsDto(body)), { numRuns: 500 });
  });

  it('agrees with the DTO on text no field may hold, anywhere in the item', () => {
    for (const text of ['a\u0000b', '\ud800', 'x\udfff']) {
      for (const key of Object.keys(base())) expectSameAsDto({ ...base(), [key]: text });
      expectSameAsDto({ ...base(), context: { [text]: 'v' } });
      expectSameAsDto({ ...base(), context: { note: text } });
    }
    expectSameAsDto({ ...base(), constructor: 'x' });
    expectSameAsDto({ ...base(), context: { constructor: 'x' } });
    expectSameAsDto(JSON.parse(`{"happenedAt":1,"__proto__":{"x":1}}`));
  });

  it.each([
    [0, false],
    [1, true],
    [MAX_BATCH_SIZE, true],
    [MAX_BATCH_SIZE + 1, false],
  ])('batch of %i items: accepted %s, as by the DTO', (size, accepted) => {
    const batch = Array.from({ length: size }, base);
    expect(fast(batch).ok).toBe(accepted);
    expectSameAsDto(batch);
  });

  it('refuses a full batch whose last item is bad, as the DTO does', () => {
    const batch = Array.from({ length: MAX_BATCH_SIZE }, base);
    batch[MAX_BATCH_SIZE - 1] = { ...base(), unknownField: 1 };
    expect(fast(batch).ok).toBe(false);
    expectSameAsDto(batch);
  });
});
