import { formatUtc } from '../common/format';
import type { RetentionApplied, RetentionPolicy } from './retention-types';

/** The contract's bound on `days` (CONTRACT §8); the service enforces it, the field shows it. */
export const MAX_DAYS = 36_500;

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

/** How long entries are kept, in words: `forever` for 0 (the default), else `1 day`, `90 days`. */
export function keptFor(days: number): string {
  return days === 0 ? 'forever' : count(days, 'day', 'days');
}

export type DaysInput = { ok: true; days: number } | { ok: false; error: string };

/**
 * The `Days to keep` field as the API takes it. Only what cannot be sent is refused here
 * (empty, a fraction, not a number): an empty field must not become 0, which keeps
 * everything forever. The range is the service's to check, so its own 400 says it.
 */
export function parseDays(text: string): DaysInput {
  const value = text.trim();
  if (!/^-?\d+$/.test(value)) return { ok: false, error: 'Days to keep is a whole number of days: 0 keeps entries forever.' };
  return { ok: true, days: Number(value) };
}

/** What a saved policy does, as the notice after Save says it. */
export function policySentence(policy: RetentionPolicy): string {
  const kept = policy.days === 0 ? 'Entries are kept forever' : `Entries are kept for ${keptFor(policy.days)}`;
  return `${kept}; legal hold is ${policy.legalHold ? 'on: retention removes nothing' : 'off'}.`;
}

/** Why Apply would remove nothing under `policy`, or null when it may remove entries. */
function nothingToRemove(policy: RetentionPolicy): string | null {
  if (policy.legalHold) return 'legal hold is on';
  if (policy.days === 0) return 'entries are kept forever';
  return null;
}

/** The confirmation asked before `Apply retention now`, as the saved policy makes it. */
export function applyQuestion(policy: RetentionPolicy): string {
  const none = nothingToRemove(policy);
  if (none) return `Apply retention now? Nothing will be removed: ${none}.`;
  return `Remove now the entries received more than ${keptFor(policy.days)} ago? They cannot be brought back.`;
}

/** What `Apply retention now` did, from its answer and the policy it ran under. */
export function appliedNotice(applied: RetentionApplied, policy: RetentionPolicy): string {
  if (applied.removed > 0) {
    const removed = `Removed ${count(applied.removed, 'entry', 'entries')}`;
    return applied.upTo ? `${removed} received before ${formatUtc(applied.upTo)} UTC.` : `${removed}.`;
  }
  const none = nothingToRemove(policy);
  return `Nothing was removed: ${none ?? `no entry was received more than ${keptFor(policy.days)} ago`}.`;
}
