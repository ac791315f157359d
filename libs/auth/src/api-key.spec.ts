import { API_KEY_PATTERN } from '@runtrail/contracts';
import { generateApiKey, hashApiKey, randomBase62 } from './api-key';

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
});
