import { describe, expect, it } from 'vitest';
import { canRevoke, canRotate, keyState } from './key-state';

const NOW = new Date('2026-11-30T12:00:00Z');
const key = (k: { revokedAt?: string; expiresAt?: string; replacedBy?: string }) => ({ revokedAt: null, expiresAt: null, replacedBy: null, ...k });

describe('key state', () => {
  it('reads active, rotated, expired and revoked, and what may be done to each', () => {
    const active = key({});
    const rotated = key({ expiresAt: '2026-12-01T12:00:00.000Z', replacedBy: 'k2' });
    const expired = key({ expiresAt: '2026-11-29T12:00:00.000Z', replacedBy: 'k2' });
    const revoked = key({ revokedAt: '2026-11-29T12:00:00.000Z' });
    expect([active, rotated, expired, revoked].map((k) => keyState(k, NOW))).toEqual([
      'active',
      'rotated, valid until 2026-12-01 12:00:00 UTC',
      'expired',
      'revoked',
    ]);
    expect([active, rotated, expired, revoked].map((k) => canRotate(k, NOW))).toEqual([true, false, false, false]);
    expect([active, rotated, expired, revoked].map((k) => canRevoke(k, NOW))).toEqual([true, true, false, false]);
  });
});
