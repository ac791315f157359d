import { AuditEventDto } from '../audit-event/audit-event.dto';
import { validateBatch } from './batch';
import { MAX_INPUT_DEPTH, describeUnsafeInput, findUnsafeInput } from './unsafe-input';

const event = () => ({
  happenedAt: '2022-07-07T09:45:32.069Z',
  action: 'Update',
  entityType: 'Project',
  sourceType: 'User',
  sourceName: 'test@run.ai',
});

function nested(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('findUnsafeInput', () => {
  it('passes ordinary JSON, astral characters included', () => {
    expect(findUnsafeInput({ a: 'x😀y', b: [1, null, { c: 'é' }], d: true })).toBeUndefined();
  });

  it.each<[string, unknown, string, string]>([
    ['NUL in a value', { a: { b: 'x\u0000' } }, 'nul', 'a.b'],
    ['NUL in a key', { a: { 'b\u0000': 'x' } }, 'nul', 'a'],
    ['a lone high surrogate', { a: ['ok', 'x\ud800'] }, 'lone-surrogate', 'a[1]'],
    ['a lone low surrogate', { a: '\udc00x' }, 'lone-surrogate', 'a'],
    ['surrogates in the wrong order', { a: '\ude00\ud83d' }, 'lone-surrogate', 'a'],
    ['a key named constructor', { context: { constructor: 'x' } }, 'reserved-key', 'context.constructor'],
    ['a key named toString', { toString: 'x' }, 'reserved-key', 'toString'],
    ['a key named __proto__ (as JSON.parse makes it)', JSON.parse('{"w":{"__proto__":{"x":1}}}'), 'reserved-key', 'w.__proto__'],
    ['a key named prototype', { prototype: 1 }, 'reserved-key', 'prototype'],
  ])('finds %s', (_name, value, kind, path) => {
    expect(findUnsafeInput(value)).toEqual({ kind, path });
  });

  it('reports the first problem in document order', () => {
    expect(findUnsafeInput({ a: 'ok', b: 'x\u0000', c: '\ud800' })).toEqual({ kind: 'nul', path: 'b' });
  });

  it(`allows ${MAX_INPUT_DEPTH} levels of nesting and refuses more`, () => {
    expect(findUnsafeInput(nested(MAX_INPUT_DEPTH))).toBeUndefined();
    expect(findUnsafeInput({ a: nested(MAX_INPUT_DEPTH) })?.kind).toBe('too-deep');
  });

  it('walks any depth without recursion', () => {
    expect(findUnsafeInput(nested(1_000_000), Number.MAX_SAFE_INTEGER)).toBeUndefined();
    expect(findUnsafeInput(nested(1_000_000))?.kind).toBe('too-deep');
  });

  it('words each problem with the field', () => {
    expect(describeUnsafeInput({ kind: 'nul', path: 'a.b' })).toBe('a.b must not contain NUL characters');
    expect(describeUnsafeInput({ kind: 'reserved-key', path: 'constructor' }, 'query parameter')).toBe('constructor is not a known query parameter');
    expect(describeUnsafeInput({ kind: 'lone-surrogate', path: '' })).toMatch(/^body must be well-formed Unicode/);
  });
});

describe('validateBatch with hostile input', () => {
  const messages = (body: unknown) => {
    const r = validateBatch(AuditEventDto, body);
    return r.ok ? [] : r.messages;
  };

  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__'])(
    'refuses a top-level field named %s (class-validator would take it as known)',
    (name) => {
      expect(messages(JSON.parse(`{${JSON.stringify(event()).slice(1, -1)},"${name}":"x"}`))).toEqual([`${name} is not a known field`]);
    },
  );

  it('refuses context keys that class-transformer cannot handle, instead of throwing', () => {
    expect(messages({ ...event(), context: { constructor: 'x' } })).toEqual(['context.constructor is not a known field']);
  });

  it('refuses lone surrogates (a jsonb column would refuse the event later)', () => {
    expect(messages({ ...event(), context: { k: '\udfff' } })).toEqual(['context.k must be well-formed Unicode (no lone surrogate code points)']);
    expect(messages([event(), { ...event(), entityName: 'x\ud800' }])).toEqual(['[1].entityName must be well-formed Unicode (no lone surrogate code points)']);
  });

  it('refuses deep nesting with a 400 message instead of overflowing the stack', () => {
    expect(messages({ ...event(), entityId: nested(5000) })[0]).toMatch(/^entityId(\[0\])+ is nested too deeply/);
  });
});
