import { ActionRunDto } from '../action-run/action-run.dto';
import { normalizeActionRun } from '../action-run/normalize-action-run';
import { validateBatch } from '../validation/batch';
import { CHANGED_FIELD_PATTERN } from '../validation/validators';
import { AuditEventDto } from './audit-event.dto';
import { normalizeAuditEvent } from './normalize-audit-event';

const event = (extra: Record<string, unknown> = {}) => ({
  happenedAt: '2022-07-07T09:45:32.069Z',
  action: 'Update',
  entityType: 'Project',
  sourceType: 'User',
  sourceName: 'test@run.ai',
  ...extra,
});

const run = (extra: Record<string, unknown> = {}) => ({
  id: '3b1c7d2e-1111-4222-8333-444455556666',
  workspace: { name: 'acme-prod' },
  block: { name: 'nginx' },
  action: 'deploy',
  status: 'running',
  startedAt: '2026-11-20T21:17:00.000Z',
  ...extra,
});

function auditMessages(body: unknown): string[] {
  const result = validateBatch(AuditEventDto, body);
  return result.ok ? [] : result.messages;
}

function normalizedEvent(body: Record<string, unknown>) {
  const result = validateBatch(AuditEventDto, body);
  if (!result.ok) throw new Error(result.messages.join('; '));
  return normalizeAuditEvent(result.items[0]);
}

/** `changes` whose JSON is exactly `bytes` bytes of UTF-8. */
function changesOfBytes(bytes: number): Record<string, unknown> {
  const skeleton = JSON.stringify({ f: { after: '' } });
  return { f: { after: 'x'.repeat(bytes - Buffer.byteLength(skeleton)) } };
}

const fields = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, { after: i }]));

describe('audit event changes', () => {
  it('is null when absent or null', () => {
    expect(normalizedEvent(event()).changes).toBeNull();
    expect(normalizedEvent(event({ changes: null })).changes).toBeNull();
  });

  it('keeps any JSON values unchanged: nested objects, arrays, null, unicode, numbers', () => {
    const changes = {
      replicas: { before: 2, after: 3 },
      'spec.template.image': { before: 'nginx:1.25', after: 'nginx:1.27' },
      labels: { before: { team: 'a', tags: ['x', 'y'] }, after: null },
      _note: { after: 'Grüße 😀 日本' },
      ratio: { before: 0.5, after: -1e21 },
      enabled: { before: false, after: true },
      list: { before: [], after: [1, [2, { deep: [null] }]] },
      empty: {},
      onlyBefore: { before: 'gone' },
    };
    expect(normalizedEvent(event({ changes })).changes).toEqual(changes);
  });

  it(`accepts field names matching ${CHANGED_FIELD_PATTERN.source}`, () => {
    for (const name of ['a', '_', 'A_b.c-d', `a${'b'.repeat(63)}`, 'spec.containers.0.image']) {
      expect(auditMessages(event({ changes: { [name]: { after: 1 } } }))).toEqual([]);
    }
  });

  it.each<[string, unknown, string]>([
    ['an array', [{ before: 1 }], 'changes must be an object of field name to { before, after }'],
    ['a string', 'replicas', 'changes must be an object of field name to { before, after }'],
    ['a number', 3, 'changes must be an object of field name to { before, after }'],
    ['a name starting with a digit', { '1a': { after: 1 } }, 'changes key "1a" must match ^[A-Za-z_][A-Za-z0-9_.-]{0,63}$'],
    ['a name with a space', { 'a b': { after: 1 } }, 'changes key "a b" must match ^[A-Za-z_][A-Za-z0-9_.-]{0,63}$'],
    ['an empty name', { '': { after: 1 } }, 'changes key "" must match ^[A-Za-z_][A-Za-z0-9_.-]{0,63}$'],
    ['a name of 65 characters', { [`a${'b'.repeat(64)}`]: { after: 1 } }, `changes key "a${'b'.repeat(63)}" must match ^[A-Za-z_][A-Za-z0-9_.-]{0,63}$`],
    ['a name with a control character', { 'a\nb': { after: 1 } }, 'changes key "a\\nb" must match ^[A-Za-z_][A-Za-z0-9_.-]{0,63}$'],
    ['a change that is a value', { replicas: 3 }, 'changes.replicas must be an object with only before and/or after'],
    ['a change that is null', { replicas: null }, 'changes.replicas must be an object with only before and/or after'],
    ['a change that is an array', { replicas: [2, 3] }, 'changes.replicas must be an object with only before and/or after'],
    ['a change with another key', { replicas: { before: 2, after: 3, by: 'x' } }, 'changes.replicas must be an object with only before and/or after'],
    ['a change with only another key', { replicas: { old: 2 } }, 'changes.replicas must be an object with only before and/or after'],
    ['65 fields', fields(65), 'changes must have at most 64 fields'],
    ['16385 bytes', changesOfBytes(16385), 'changes must be at most 16384 bytes as UTF-8 JSON'],
  ])('refuses %s, naming the field', (_name, changes, message) => {
    expect(auditMessages(event({ changes }))).toEqual([message]);
  });

  it('takes 64 fields and exactly 16384 bytes', () => {
    expect(auditMessages(event({ changes: fields(64) }))).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(changesOfBytes(16384)))).toBe(16384);
    expect(auditMessages(event({ changes: changesOfBytes(16384) }))).toEqual([]);
  });

  it('counts bytes of UTF-8, not characters', () => {
    // 6000 three-byte characters: 6000 characters, 18000 bytes.
    expect(auditMessages(event({ changes: { f: { after: '€'.repeat(6000) } } }))).toEqual(['changes must be at most 16384 bytes as UTF-8 JSON']);
  });

  it('prefixes messages about batch items with their index', () => {
    expect(auditMessages([event(), event({ changes: { replicas: 3 } })])).toEqual(['[1].changes.replicas must be an object with only before and/or after']);
  });

  it.each(['__proto__', 'constructor', 'prototype', 'toString'])('refuses a field named %s without polluting anything', (name) => {
    const body = JSON.parse(`{"changes":{"${name}":{"before":1,"after":2}}}`) as Record<string, unknown>;
    expect(auditMessages(event(body))).toEqual([`changes.${name} is not a known field`]);
    expect(({} as Record<string, unknown>).before).toBeUndefined();
  });

  it('refuses reserved keys, NUL and lone surrogates inside before and after', () => {
    const nested = JSON.parse('{"changes":{"spec":{"after":{"a":{"__proto__":{"polluted":true}}}}}}') as Record<string, unknown>;
    expect(auditMessages(event(nested))).toEqual(['changes.spec.after.a.__proto__ is not a known field']);
    expect(auditMessages(event({ changes: { spec: { before: 'a\u0000' } } }))).toEqual(['changes.spec.before must not contain NUL characters']);
    expect(auditMessages(event({ changes: { spec: { after: ['\ud800'] } } }))).toEqual([
      'changes.spec.after[0] must be well-formed Unicode (no lone surrogate code points)',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('correlationId', () => {
  it('is null when absent or null, and kept as given otherwise', () => {
    expect(normalizedEvent(event()).correlationId).toBeNull();
    expect(normalizedEvent(event({ correlationId: null })).correlationId).toBeNull();
    for (const id of ['x', 'gitlab pipeline #48213 / Grüße 😀', 'c'.repeat(128)]) {
      expect(normalizedEvent(event({ correlationId: id })).correlationId).toBe(id);
    }
  });

  it.each<[string, unknown]>([
    ['empty', ''],
    ['129 characters', 'c'.repeat(129)],
    ['a newline', 'a\nb'],
    ['a tab', 'a\tb'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['a number', 42],
    ['an object', { id: 'x' }],
  ])('refuses %s on audit events and action runs', (_name, correlationId) => {
    expect(auditMessages(event({ correlationId }))).toEqual(['correlationId must be 1 to 128 printable characters']);
    const runResult = validateBatch(ActionRunDto, [run({ correlationId })]);
    expect(runResult.ok ? [] : runResult.messages).toEqual(['[0].correlationId must be 1 to 128 printable characters']);
  });

  it('comes with an action run report, null when absent', () => {
    const given = validateBatch(ActionRunDto, run({ correlationId: 'pipeline-7' }));
    const absent = validateBatch(ActionRunDto, run());
    if (!given.ok || !absent.ok) throw new Error('expected valid runs');
    expect(normalizeActionRun(given.items[0]).correlationId).toBe('pipeline-7');
    expect(normalizeActionRun(absent.items[0]).correlationId).toBeNull();
  });

  it('is counted in code points: 128 astral characters are accepted', () => {
    expect(auditMessages(event({ correlationId: '😀'.repeat(128) }))).toEqual([]);
    expect(auditMessages(event({ correlationId: '😀'.repeat(129) }))).toEqual(['correlationId must be 1 to 128 printable characters']);
  });
});

describe('changes on action runs', () => {
  it('is not a field of an action run report', () => {
    const result = validateBatch(ActionRunDto, run({ changes: { a: { after: 1 } } }));
    expect(result.ok ? [] : result.messages).toEqual(['changes is not a known field']);
  });
});
