import { API_KEY_PATTERN, BASE62, hasValidChecksum } from '@runtrail/contracts';
import fc from 'fast-check';
import { generateApiKey, generateSecret, hashApiKey, randomBase62 } from './api-key';

describe('API keys', () => {
  it('look like rt_ followed by 40 base62 characters', () => {
    for (let i = 0; i < 50; i++) expect(generateApiKey()).toMatch(/^rt_[0-9A-Za-z]{40}$/);
    expect(API_KEY_PATTERN.test(generateApiKey())).toBe(true);
  });

  it('are unique', () => {
    const keys = new Set(Array.from({ length: 1000 }, generateApiKey));
    expect(keys.size).toBe(1000);
  });

  it('use every base62 character (no bias towards a subset)', () => {
    expect(new Set(randomBase62(20_000)).size).toBe(62);
  });

  it('are stored as a SHA-256 hex digest that does not contain the key', () => {
    const key = generateApiKey();
    const hash = hashApiKey(key);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(key.slice(3));
    expect(hashApiKey(key)).toBe(hash);
  });

  it('end in a checksum that every issued key, runner token and viewer token passes', () => {
    for (let i = 0; i < 200; i++) {
      expect(hasValidChecksum(generateApiKey())).toBe(true);
      expect(hasValidChecksum(generateSecret('rtr'))).toBe(true);
      expect(hasValidChecksum(generateSecret('rtv'))).toBe(true);
    }
  });

  it('catch every single mistyped character and every swap of two neighbours', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 42 }), fc.integer({ min: 1, max: 61 }), (at, shift) => {
        const key = generateApiKey();
        const typo = key.slice(0, at) + BASE62[(BASE62.indexOf(key[at]) + shift) % 62] + key.slice(at + 1);
        expect(hasValidChecksum(typo)).toBe(false);
        if (at < 42 && key[at] !== key[at + 1]) {
          const swapped = key.slice(0, at) + key[at + 1] + key[at] + key.slice(at + 2);
          expect(hasValidChecksum(swapped)).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuse anything not shaped like a key: wrong prefix, length or alphabet', () => {
    const key = generateApiKey();
    for (const s of [key.slice(0, -1), `${key}0`, `rx_${key.slice(3)}`, key.replace(/.$/, '-'), `rtr_${key.slice(3)}`, `rtv_${key.slice(3)}`, `rtx_${key.slice(3)}`, '', 'rt_']) {
      expect(hasValidChecksum(s)).toBe(false);
    }
  });
});
