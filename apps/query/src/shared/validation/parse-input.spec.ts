import { IsOptional, IsString } from 'class-validator';
import { UuidIdParams } from './uuid-id-params';
import { parseBody, parsePathParams, parseQuery, refuseQuery } from './parse-input';
import { refusal } from '../../../test/refusal';

class Filters {
  @IsOptional()
  @IsString()
  name?: string;
}

describe('parseQuery', () => {
  it('takes known parameters', () => {
    expect(parseQuery(Filters, { name: 'x' })).toMatchObject({ name: 'x' });
  });

  it('refuses an unknown parameter, and a repeated one by its own check', () => {
    expect(refusal(() => parseQuery(Filters, { nmae: 'x' }))).toEqual(['nmae is not a known query parameter']);
    expect(refusal(() => parseQuery(Filters, { name: ['a', 'b'] }))).toEqual(['name must be a string']);
  });

  it('refuses NUL in a value (Postgres would fail on it: a 500)', () => {
    expect(refusal(() => parseQuery(Filters, { name: 'a\u0000b' }))).toEqual(['name must not contain NUL characters']);
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__'])('refuses a parameter named %s (the whitelist would let it through)', (name) => {
    const raw = Object.create(null) as Record<string, unknown>;
    raw[name] = 'x';
    expect(refusal(() => parseQuery(Filters, raw))).toEqual([`${name} is not a known query parameter`]);
  });
});

describe('refuseQuery', () => {
  it('names every parameter given, whatever it is', () => {
    expect(() => refuseQuery({})).not.toThrow();
    expect(refusal(() => refuseQuery({ a: '1', constructor: '\u0000' }))).toEqual(['a is not a known query parameter', 'constructor is not a known query parameter']);
  });
});

describe('parseBody', () => {
  it.each([undefined, null, [], 'x', 1])('refuses %j: the body must be an object', (body) => {
    expect(refusal(() => parseBody(Filters, body))).toEqual(['body must be a JSON object']);
  });

  it('refuses unknown fields and fields named after Object.prototype members', () => {
    expect(refusal(() => parseBody(Filters, { name: 'x', tenantId: 'y' }))).toEqual(['tenantId is not a known field']);
    expect(refusal(() => parseBody(Filters, JSON.parse('{"name":"x","constructor":{"prototype":{}}}')))).toEqual(['constructor is not a known field']);
  });

  it('refuses lone surrogates, naming the field', () => {
    expect(refusal(() => parseBody(Filters, { name: 'a\udfffb' }))).toEqual(['name must be well-formed Unicode (no lone surrogate code points)']);
  });
});

describe('parsePathParams', () => {
  it('applies the rules of the path parameters alone, NUL included', () => {
    const upper = '6F9619FF-8B86-D011-B42D-00C04FC964FF';
    expect(parsePathParams(UuidIdParams, { id: upper })).toMatchObject({ id: upper });
    expect(refusal(() => parsePathParams(UuidIdParams, { id: 'abc\u0000' }))).toEqual(['id must be a UUID']);
  });
});
