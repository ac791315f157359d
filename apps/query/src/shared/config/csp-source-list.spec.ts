import { FRAME_ANCESTORS_PATTERN } from './csp-source-list';

describe('EMBED_FRAME_ANCESTORS', () => {
  it('take frame-ancestors source lists, and nothing that could add a directive or a header', () => {
    for (const ok of ['*', "'self'", "'none'", 'https:', 'https://app.example.com', "'self' https://*.example.com:8443 http://localhost:*", 'example.com/embed/']) {
      expect([ok, FRAME_ANCESTORS_PATTERN.test(ok)]).toEqual([ok, true]);
    }
    for (const bad of ['', ' ', "* ; script-src *", 'https://a.com,https://b.com', 'a.com\r\nSet-Cookie: x=1', "'unsafe-inline'", "'none' https://a.com", 'https://a.com  ']) {
      expect([bad, FRAME_ANCESTORS_PATTERN.test(bad)]).toEqual([bad, false]);
    }
  });
});
