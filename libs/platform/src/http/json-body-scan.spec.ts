import fc from 'fast-check';
import { MAX_JSON_DEPTH, scanJsonBody } from './json-body-scan';

const scan = (text: string, maxDepth?: number) => scanJsonBody(Buffer.from(text, 'utf8'), maxDepth);

function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

describe('scanJsonBody', () => {
  it('accepts nesting up to the bound and refuses one level more', () => {
    expect(scan(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(scan(nested(MAX_JSON_DEPTH + 1))).toEqual({ kind: 'too-deep', maxDepth: MAX_JSON_DEPTH });
    expect(scan('{"a":'.repeat(MAX_JSON_DEPTH + 1) + '1' + '}'.repeat(MAX_JSON_DEPTH + 1))).toMatchObject({ kind: 'too-deep' });
    expect(scan('[{"a":[{"b":{}}]}]', 5)).toBeUndefined();
    expect(scan('[{"a":[{"b":{}}]}]', 4)).toMatchObject({ kind: 'too-deep' });
  });

  it('measures depth, not the number of brackets: siblings do not add up', () => {
    expect(scan(`[${Array.from({ length: 10_000 }, () => '{"a":[1]}').join(',')}]`, 3)).toBeUndefined();
  });

  it('does not count brackets and quotes inside strings', () => {
    expect(scan(JSON.stringify({ a: '[[[[[[[[[[{{{{{{{{', b: 'say \\"[[[[[[[" \\\\' }), 2)).toBeUndefined();
    expect(scan(JSON.stringify(['\\', '[[[[['], ['x']), 2)).toBeUndefined();
  });

  it('goes through a 1 MiB hostile body in one loop, without recursion', () => {
    const n = 512 * 1024;
    const started = Date.now();
    expect(scan(nested(n))).toMatchObject({ kind: 'too-deep' });
    expect(scanJsonBody(Buffer.from(`[${'"x",'.repeat(200_000)}"y"]`))).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses bytes that are not UTF-8 rather than letting them become U+FFFD', () => {
    expect(scanJsonBody(Buffer.from([0x22, 0xff, 0x22]))).toEqual({ kind: 'not-utf8' });
    // a surrogate encoded directly in UTF-8 (CESU-style) is not UTF-8 either
    expect(scanJsonBody(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]))).toEqual({ kind: 'not-utf8' });
    expect(scan(JSON.stringify({ s: 'Zürich 東京 🎉' }))).toBeUndefined();
  });

  it('leaves escapes alone: an escaped quote or backslash does not end a string', () => {
    expect(scan('{"s":"\\"[[[[","t":"\\\\"}', 1)).toBeUndefined();
    expect(scan('["\\\\",[[[]]]]', 3)).toMatchObject({ kind: 'too-deep' });
    // lone surrogate escapes are valid UTF-8; libs/contracts refuses them, naming the field
    expect(scan('{"s":"\\ud800"}')).toBeUndefined();
  });

  it('accepts control characters, which JSON carries escaped', () => {
    expect(scan(JSON.stringify({ s: 'a\r\nb\tc\u0001d\u001be\u2028f"g\\h' }))).toBeUndefined();
  });

  it('agrees with JSON.parse on the depth of any valid JSON value', () => {
    const depthOf = (v: unknown): number =>
      v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v as object).map(depthOf)) : 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const text = JSON.stringify(value);
        const depth = depthOf(value);
        expect(scan(text, depth)).toBeUndefined();
        if (depth > 0) expect(scan(text, depth - 1)).toMatchObject({ kind: 'too-deep' });
      }),
    );
  });

  it('accepts any string JSON.stringify can produce, whatever its characters', () => {
    // Any UTF-16 code unit, surrogate halves often (JSON.stringify escapes the lone ones).
    const codeUnit = fc
      .oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0xd800, max: 0xdfff }))
      .map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: codeUnit }), (a, b) => {
        expect(scan(JSON.stringify({ a, b: [b, { b }] }), 3)).toBeUndefined();
      }),
    );
  });
});
