import { IsOptional, IsString } from 'class-validator';
import { parseBody, parseQuery } from './parse-query';

class Filters {
  @IsOptional()
  @IsString()
  name?: string;
}

function refusal(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return (err as { messages?: unknown }).messages;
  }
  throw new Error('not refused');
}

describe('parseQuery', () => {
  it('takes known parameters', () => {
    expect(parseQuery(Filters, { name: 'x' })).toMatchObject({ name: 'x' });
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

describe('parseBody', () => {
  it('refuses fields named after Object.prototype members', () => {
    expect(refusal(() => parseBody(Filters, JSON.parse('{"name":"x","constructor":{"prototype":{}}}')))).toEqual(['constructor is not a known field']);
  });
});
