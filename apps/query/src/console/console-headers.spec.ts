import { consoleCsp, securityHeaders } from './console-headers';

describe('console headers', () => {
  it('forbid everything but the console’s own files, and framing unless told otherwise', () => {
    expect(consoleCsp()).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(consoleCsp('*')).toMatch(/; frame-ancestors \*$/);
    expect(securityHeaders("https://app.example.com")).toEqual({
      'Content-Security-Policy': expect.stringMatching(/frame-ancestors https:\/\/app\.example\.com$/),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
  });
});
