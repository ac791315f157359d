import { INSTALLATION_PATTERN, logOrigin } from './origin';

describe('a log origin', () => {
  it('names the installation and the tenant', () => {
    expect(logOrigin('eu-1.example', 'acme')).toBe('runtrail/eu-1.example/acme');
  });

  it('takes installations of lower-case letters, digits, dots and dashes only', () => {
    expect(['local', 'eu-1.example', '0'].every((s) => INSTALLATION_PATTERN.test(s))).toBe(true);
    expect(['', 'Local', '-x', 'a/b', 'a b', 'x'.repeat(64)].some((s) => INSTALLATION_PATTERN.test(s))).toBe(false);
  });
});
