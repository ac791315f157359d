import { createHmac } from 'node:crypto';
import { verifyWebhookSignature, webhookSignature } from './webhook-signature';

const SECRET = 'whsec_5f2b8c1e9d';
const T = 1_772_359_200;
/** The receiver's clock at the signature's time. */
const AT = { now: T * 1000 };
const BODY = '[{"id":42000,"eventId":"0b9d6a52-3f4e-4c1a-9a57-5b2f0e7c1d11","action":"user.login","success":true}]';

/** The MAC as a receiver computes it from CONTRACT §8, independently of the code under test. */
function mac(secret: string, t: number, body: string): string {
  return createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
}

describe('webhookSignature', () => {
  it('is t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>', () => {
    const expected = `t=${T},v1=${mac(SECRET, T, BODY)}`;
    expect(webhookSignature(SECRET, T, BODY)).toBe(expected);
    expect(webhookSignature(SECRET, T, BODY)).toMatch(/^t=1772359200,v1=[0-9a-f]{64}$/);
  });

  it('matches fixed known answers', () => {
    // Computed outside node with `printf '<t>.<body>' | openssl dgst -sha256 -hmac <secret>`.
    expect(webhookSignature('key', 1, 'hello')).toBe('t=1,v1=9233658ef5e21fe59dba8abb099c978547d7626f87090a6a585c26a2a98a91f8');
    expect(webhookSignature(SECRET, T, BODY)).toBe('t=1772359200,v1=b7c7792337ce12fb82718226931409ba4d2697106a4cc4e063090664ee764b7c');
  });

  it('signs the UTF-8 bytes of a body with multi-byte characters', () => {
    const body = '[{"entityName":"Zoë 🚀"}]';
    expect(webhookSignature(SECRET, T, body)).toBe(`t=${T},v1=${createHmac('sha256', SECRET).update(Buffer.from(`${T}.${body}`, 'utf8')).digest('hex')}`);
  });

  it('changes with the secret, the time and the body', () => {
    const base = webhookSignature(SECRET, T, BODY);
    expect(webhookSignature(`${SECRET}x`, T, BODY)).not.toBe(base);
    expect(webhookSignature(SECRET, T + 1, BODY).split(',')[1]).not.toBe(base.split(',')[1]);
    expect(webhookSignature(SECRET, T, `${BODY} `)).not.toBe(base);
  });
});

describe('verifyWebhookSignature', () => {
  const header = `t=${T},v1=${mac(SECRET, T, BODY)}`;

  it('accepts the signature of the body with the secret', () => {
    expect(verifyWebhookSignature(SECRET, header, BODY, AT)).toBe(true);
    expect(verifyWebhookSignature(SECRET, webhookSignature(SECRET, T, BODY), BODY, AT)).toBe(true);
  });

  it('refuses a tampered body', () => {
    expect(verifyWebhookSignature(SECRET, header, BODY.replace('true', 'false'), AT)).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, `${BODY}\n`, AT)).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, '', AT)).toBe(false);
  });

  it('refuses another secret', () => {
    expect(verifyWebhookSignature('whsec_other', header, BODY, AT)).toBe(false);
    expect(verifyWebhookSignature('', header, BODY, AT)).toBe(false);
  });

  it('refuses a changed time, since the time is signed with the body', () => {
    expect(verifyWebhookSignature(SECRET, `t=${T + 1},v1=${mac(SECRET, T, BODY)}`, BODY, AT)).toBe(false);
  });

  it.each([
    ['', 'empty'],
    [`v1=${mac(SECRET, T, BODY)}`, 'no t'],
    [`t=${T}`, 'no v1'],
    [`t=abc,v1=${mac(SECRET, T, BODY)}`, 't not a number'],
    [`t=,v1=${mac(SECRET, T, BODY)}`, 't empty'],
    [`t=${T},v1=${mac(SECRET, T, BODY).slice(0, 63)}`, 'v1 one hex digit short'],
    [`t=${T},v1=${mac(SECRET, T, BODY)}0`, 'v1 one hex digit long'],
    [`t=${T},v1=${mac(SECRET, T, BODY).toUpperCase()}`, 'v1 in capitals'],
    [`t=${T},v1=${'z'.repeat(64)}`, 'v1 not hex'],
    [`t=${T}, v1=${mac(SECRET, T, BODY)}`, 'a space after the comma'],
    [`t=${T};v1=${mac(SECRET, T, BODY)}`, 'a semicolon for a comma'],
    [`xt=${T},v1=${mac(SECRET, T, BODY)}`, 'a field name merely ending in t'],
    [`t=${T},xv1=${mac(SECRET, T, BODY)}`, 'a field name merely ending in v1'],
    [`t=1234567890123,v1=${mac(SECRET, 1234567890123, BODY)}`, 't of 13 digits'],
  ])('refuses a malformed header %j (%s)', (malformed) => {
    expect(verifyWebhookSignature(SECRET, malformed, BODY, AT)).toBe(false);
  });

  it('accepts a header with further fields, in any order (v0 ignored)', () => {
    const v1 = mac(SECRET, T, BODY);
    expect(verifyWebhookSignature(SECRET, `t=${T},v1=${v1},v0=${'0'.repeat(64)}`, BODY, AT)).toBe(true);
    expect(verifyWebhookSignature(SECRET, `v0=abc,v1=${v1},t=${T}`, BODY, AT)).toBe(true);
  });

  it('does not take a v0 for a v1', () => {
    expect(verifyWebhookSignature(SECRET, `t=${T},v0=${mac(SECRET, T, BODY)}`, BODY, AT)).toBe(false);
  });
});

describe('verifyWebhookSignature against replays', () => {
  it('refuses a signature more than five minutes from the receiver\'s clock, either way', () => {
    const header = webhookSignature(SECRET, T, BODY);
    expect(verifyWebhookSignature(SECRET, header, BODY, { now: (T + 300) * 1000 })).toBe(true);
    expect(verifyWebhookSignature(SECRET, header, BODY, { now: (T + 301) * 1000 })).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, BODY, { now: (T - 301) * 1000 })).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, BODY, { now: (T + 3600) * 1000, toleranceSeconds: 3600 })).toBe(true);
  });
});
