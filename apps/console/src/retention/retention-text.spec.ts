import { describe, expect, it } from 'vitest';
import { appliedNotice, applyQuestion, keptFor, parseDays, policySentence } from './retention-text';

describe('retention in words', () => {
  it('says how long entries are kept, 0 being forever', () => {
    expect([0, 1, 90, 36_500].map(keptFor)).toEqual(['forever', '1 day', '90 days', '36,500 days']);
  });

  it('takes a whole number of days, and refuses what would silently become another policy', () => {
    expect(parseDays(' 30 ')).toEqual({ ok: true, days: 30 });
    expect(parseDays('0')).toEqual({ ok: true, days: 0 });
    // the range is the service's to check: its 400 names the rule
    expect(parseDays('-1')).toEqual({ ok: true, days: -1 });
    expect(parseDays('40000')).toEqual({ ok: true, days: 40_000 });
    // an empty field is not 0 (forever)
    for (const text of ['', '  ', '1.5', '1e3', 'ninety']) expect(parseDays(text)).toEqual({ ok: false, error: 'Days to keep is a whole number of days: 0 keeps entries forever.' });
  });

  it('states a policy', () => {
    expect(policySentence({ days: 0, legalHold: false })).toBe('Entries are kept forever; legal hold is off.');
    expect(policySentence({ days: 90, legalHold: true })).toBe('Entries are kept for 90 days; legal hold is on: retention removes nothing.');
  });

  it('asks before applying, saying when nothing will go', () => {
    expect(applyQuestion({ days: 30, legalHold: false })).toBe('Remove now the entries received more than 30 days ago? They cannot be brought back.');
    expect(applyQuestion({ days: 30, legalHold: true })).toBe('Apply retention now? Nothing will be removed: legal hold is on.');
    expect(applyQuestion({ days: 0, legalHold: false })).toBe('Apply retention now? Nothing will be removed: entries are kept forever.');
  });

  it('says what applying removed, or why nothing', () => {
    expect(appliedNotice({ removed: 1234, upTo: '2026-09-02T00:00:00.000Z' }, { days: 90, legalHold: false })).toBe('Removed 1,234 entries received before 2026-09-02 00:00:00 UTC.');
    expect(appliedNotice({ removed: 1, upTo: '2026-09-02T00:00:00.000Z' }, { days: 90, legalHold: false })).toBe('Removed 1 entry received before 2026-09-02 00:00:00 UTC.');
    expect(appliedNotice({ removed: 3, upTo: null }, { days: 90, legalHold: false })).toBe('Removed 3 entries.');
    expect(appliedNotice({ removed: 0, upTo: null }, { days: 90, legalHold: true })).toBe('Nothing was removed: legal hold is on.');
    expect(appliedNotice({ removed: 0, upTo: null }, { days: 0, legalHold: false })).toBe('Nothing was removed: entries are kept forever.');
    expect(appliedNotice({ removed: 0, upTo: null }, { days: 1, legalHold: false })).toBe('Nothing was removed: no entry was received more than 1 day ago.');
  });
});
