import { generateKeyPairSync, sign } from 'node:crypto';
import {
  CommandRejectedError,
  generateCommandSigningKeys,
  signCommand,
  verifyCommand,
  type CommandPayload,
  type CommandRejectionReason,
  type SignedCommand,
} from './command-signature';

const keys = generateCommandSigningKeys();
const otherKeys = generateCommandSigningKeys();

const now = new Date('2026-11-21T10:00:00.000Z');
const expect_ = { tenantId: 'acme', runnerId: 'runner-1', now };

const payload: CommandPayload = {
  v: 1,
  commandId: '7d1f0a52-1c0b-4e0e-b0a5-9b1d2c3e4f50',
  tenantId: 'acme',
  runnerId: 'runner-1',
  runId: '0b6f1c1e-8a47-4c36-9d0e-2f1f4b1c6a10',
  workspace: 'acme-prod',
  block: 'nginx',
  action: 'deploy',
  reason: 'certificate renewed',
  requestedAt: '2026-11-21T09:30:00.000Z',
  expiresAt: '2026-11-21T10:30:00.000Z',
  blockFrom: 'registry.example/nginx:0.3.1',
  blockVersion: '0.3.1',
  correlationId: 'pipeline-4711',
};

/** The command after a JSON round trip, as the agent receives it from NATS. */
function wire(command: SignedCommand): unknown {
  return JSON.parse(JSON.stringify(command));
}

function rejection(fn: () => unknown): CommandRejectionReason {
  try {
    fn();
  } catch (error) {
    if (error instanceof CommandRejectedError) return error.reason;
    throw error;
  }
  throw new Error('the command was accepted');
}

describe('generateCommandSigningKeys', () => {
  it('makes a PEM Ed25519 key pair, a new one each time', () => {
    expect(keys.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(keys.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(otherKeys.publicKeyPem).not.toBe(keys.publicKeyPem);
  });
});

describe('signCommand and verifyCommand', () => {
  it('round-trips a command through JSON', () => {
    const signed = signCommand(payload, keys.privateKeyPem);
    expect(signed.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(verifyCommand(wire(signed), keys.publicKeyPem, expect_)).toEqual(payload);
  });

  it('accepts a payload signed before the block reference and correlation id existed', () => {
    const { blockFrom: _f, blockVersion: _v, correlationId: _c, ...older } = payload;
    const signed = signCommand(older, keys.privateKeyPem);
    expect(verifyCommand(wire(signed), keys.publicKeyPem, expect_)).toEqual(older);
  });

  it('accepts a null reason', () => {
    const signed = signCommand({ ...payload, reason: null }, keys.privateKeyPem);
    expect(verifyCommand(wire(signed), keys.publicKeyPem, expect_).reason).toBeNull();
  });

  it('signs the canonical form: field order changes nothing', () => {
    const reversed = Object.fromEntries(Object.entries(payload).reverse()) as unknown as CommandPayload;
    const a = signCommand(payload, keys.privateKeyPem);
    const b = signCommand(reversed, keys.privateKeyPem);
    expect(b.signature).toBe(a.signature); // Ed25519 is deterministic
    expect(verifyCommand({ signature: a.signature, payload: reversed }, keys.publicKeyPem, expect_)).toEqual(payload);
  });

  it('uses the current time when none is given', () => {
    const fresh = { ...payload, expiresAt: new Date(Date.now() + 60_000).toISOString() };
    const stale = { ...payload, expiresAt: new Date(Date.now() - 1).toISOString() };
    const noNow = { tenantId: 'acme', runnerId: 'runner-1' };
    expect(verifyCommand(wire(signCommand(fresh, keys.privateKeyPem)), keys.publicKeyPem, noNow)).toEqual(fresh);
    expect(rejection(() => verifyCommand(wire(signCommand(stale, keys.privateKeyPem)), keys.publicKeyPem, noNow))).toBe('expired');
  });

  const tampered: Array<[keyof CommandPayload, unknown]> = [
    ['commandId', '00000000-0000-0000-0000-000000000000'],
    ['tenantId', 'acme2'],
    ['runnerId', 'runner-2'],
    ['runId', '11111111-1111-1111-1111-111111111111'],
    ['workspace', 'acme-dev'],
    ['block', 'nginx; rm -rf /'],
    ['action', 'destroy'],
    ['reason', 'something else'],
    ['reason', null],
    ['blockFrom', 'registry.example/other:1.0'],
    ['blockVersion', '9.9.9'],
    ['correlationId', 'pipeline-4712'],
    ['correlationId', null],
    ['requestedAt', '2026-11-21T09:30:00.001Z'],
    ['expiresAt', '2027-11-21T10:30:00.000Z'],
  ];

  it.each(tampered)('rejects a command whose %s was changed to %j', (field, value) => {
    const signed = wire(signCommand(payload, keys.privateKeyPem)) as { payload: Record<string, unknown> };
    signed.payload[field] = value;
    // Checked with the changed tenant/runner as expected, so only the signature can catch it.
    const expected = { tenantId: String(signed.payload.tenantId), runnerId: String(signed.payload.runnerId), now };
    expect(rejection(() => verifyCommand(signed, keys.publicKeyPem, expected))).toBe('bad-signature');
  });

  it('rejects a command whose signature was changed in one byte', () => {
    const signed = signCommand(payload, keys.privateKeyPem);
    const bytes = Buffer.from(signed.signature, 'base64url');
    bytes[10] ^= 1;
    const message = { ...signed, signature: bytes.toString('base64url') };
    expect(rejection(() => verifyCommand(message, keys.publicKeyPem, expect_))).toBe('bad-signature');
  });

  it('rejects a command signed by another key pair', () => {
    const forged = signCommand(payload, otherKeys.privateKeyPem);
    expect(rejection(() => verifyCommand(wire(forged), keys.publicKeyPem, expect_))).toBe('bad-signature');
  });

  it('rejects a signature over the payload serialised differently (not the canonical form)', () => {
    const signature = sign(null, Buffer.from(JSON.stringify(payload, null, 2)), keys.privateKeyPem).toString('base64url');
    expect(rejection(() => verifyCommand({ payload, signature }, keys.publicKeyPem, expect_))).toBe('bad-signature');
  });

  it('rejects a genuine command meant for another runner or tenant', () => {
    const signed = wire(signCommand(payload, keys.privateKeyPem));
    expect(rejection(() => verifyCommand(signed, keys.publicKeyPem, { ...expect_, runnerId: 'runner-2' }))).toBe('wrong-runner');
    expect(rejection(() => verifyCommand(signed, keys.publicKeyPem, { ...expect_, tenantId: 'globex' }))).toBe('wrong-tenant');
  });

  it('rejects a genuine command at and after its expiry, accepts it just before', () => {
    const signed = wire(signCommand(payload, keys.privateKeyPem));
    const at = (iso: string) => ({ ...expect_, now: new Date(iso) });
    expect(verifyCommand(signed, keys.publicKeyPem, at('2026-11-21T10:29:59.999Z'))).toEqual(payload);
    expect(rejection(() => verifyCommand(signed, keys.publicKeyPem, at('2026-11-21T10:30:00.000Z')))).toBe('expired');
    expect(rejection(() => verifyCommand(signed, keys.publicKeyPem, at('2026-11-22T00:00:00.000Z')))).toBe('expired');
  });

  it('says why in the message and carries the reason', () => {
    const signed = wire(signCommand(payload, keys.privateKeyPem));
    expect(() => verifyCommand(signed, keys.publicKeyPem, { ...expect_, runnerId: 'runner-2' })).toThrow(
      'command rejected (wrong-runner): command is for runner runner-1, not runner-2',
    );
  });

  describe('garbage', () => {
    const good = signCommand(payload, keys.privateKeyPem);
    const without = (field: string) => {
      const copy: Record<string, unknown> = { ...payload };
      delete copy[field];
      return { payload: copy, signature: good.signature };
    };
    const withPayload = (patch: Record<string, unknown>) => ({ payload: { ...payload, ...patch }, signature: good.signature });

    it.each<[string, unknown]>([
      ['null', null],
      ['undefined', undefined],
      ['a string', JSON.stringify(good)],
      ['a number', 42],
      ['an array', [good.payload, good.signature]],
      ['an empty object', {}],
      ['no signature', { payload }],
      ['no payload', { signature: good.signature }],
      ['a null payload', { payload: null, signature: good.signature }],
      ['a payload array', { payload: [payload], signature: good.signature }],
      ['an extra top-level field', { ...good, run: 'this too' }],
      ['missing commandId', without('commandId')],
      ['missing tenantId', without('tenantId')],
      ['missing reason', without('reason')],
      ['missing expiresAt', without('expiresAt')],
      ['missing v', without('v')],
      ['v 2', withPayload({ v: 2 })],
      ['v "1"', withPayload({ v: '1' })],
      ['an empty block', withPayload({ block: '' })],
      ['a numeric runId', withPayload({ runId: 7 })],
      ['a reason object', withPayload({ reason: { text: 'x' } })],
      ['a numeric correlationId', withPayload({ correlationId: 4711 })],
      ['a blockVersion object', withPayload({ blockVersion: { v: '1' } })],
      ['a zone-less expiresAt', withPayload({ expiresAt: '2026-11-21T10:30:00' })],
      ['a nonsense requestedAt', withPayload({ requestedAt: 'yesterday' })],
      ['an unknown payload field', withPayload({ command: 'rm -rf /' })],
      ['a numeric signature', { payload, signature: 12 }],
      ['an empty signature', { payload, signature: '' }],
      ['a short signature', { payload, signature: good.signature.slice(0, 85) }],
      ['a long signature', { payload, signature: `${good.signature}AA` }],
      ['a 32-byte signature', { payload, signature: Buffer.alloc(32, 1).toString('base64url') }],
      ['a padded base64 signature', { payload, signature: `${Buffer.from(good.signature, 'base64url').toString('base64')}` }],
      ['a signature with a non-canonical last character', { payload, signature: `${good.signature.slice(0, 85)}${good.signature[85] === 'B' ? 'C' : 'B'}` }],
      ['a signature with foreign characters', { payload, signature: `${good.signature.slice(0, 85)}!` }],
    ])('rejects %s as malformed', (_label, message) => {
      expect(rejection(() => verifyCommand(message, keys.publicKeyPem, expect_))).toBe('malformed');
    });
  });

  it('refuses to sign a malformed payload', () => {
    expect(() => signCommand({ ...payload, block: '' }, keys.privateKeyPem)).toThrow(/cannot sign command: payload.block/);
    expect(() => signCommand({ ...payload, expiresAt: 'soon' }, keys.privateKeyPem)).toThrow(/payload.expiresAt/);
  });

  it('refuses keys that are not Ed25519 with a plain error', () => {
    const rsa = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect(() => signCommand(payload, rsa.privateKey)).toThrow(/needs an Ed25519 private key, got rsa/);
    const signed = wire(signCommand(payload, keys.privateKeyPem));
    let thrown: unknown;
    try {
      verifyCommand(signed, rsa.publicKey, expect_);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(CommandRejectedError);
    expect(String(thrown)).toMatch(/needs an Ed25519 public key, got rsa/);
  });
});
