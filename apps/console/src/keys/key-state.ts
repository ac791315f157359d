import type { ApiKey } from '../api/types';
import { formatUtc } from '../common/format';

/** A key's state in words: revoked, expired, rotated (valid until …) or active. */
export function keyState(key: Pick<ApiKey, 'revokedAt' | 'expiresAt' | 'replacedBy'>, now: Date = new Date()): string {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now.getTime()) return 'expired';
  if (key.expiresAt) return `${key.replacedBy ? 'rotated, ' : ''}valid until ${formatUtc(key.expiresAt)} UTC`;
  return 'active';
}

export const canRotate = (key: Pick<ApiKey, 'revokedAt' | 'expiresAt' | 'replacedBy'>, now: Date = new Date()) =>
  keyState(key, now) === 'active' && !key.replacedBy;

export const canRevoke = (key: Pick<ApiKey, 'revokedAt' | 'expiresAt' | 'replacedBy'>, now: Date = new Date()) => {
  const state = keyState(key, now);
  return state !== 'revoked' && state !== 'expired';
};
