import { describe, expect, it } from 'vitest';
import { STREAM_KINDS, shownTarget } from './stream-kinds';

describe('stream kinds', () => {
  it('asks a secret of webhook and splunk-hec only, the kinds the API requires one of', () => {
    expect(STREAM_KINDS.filter((k) => k.secret).map((k) => k.kind)).toEqual(['webhook', 'splunk-hec']);
    expect(STREAM_KINDS.map((k) => k.kind)).toEqual(['webhook', 'splunk-hec', 'syslog', 'slack']);
  });

  it('shows a target URL as created, except a Slack webhook’s, which is its credential: only its origin', () => {
    expect(shownTarget({ kind: 'webhook', url: 'https://siem.example.com/runtrail?tenant=acme' })).toBe('https://siem.example.com/runtrail?tenant=acme');
    expect(shownTarget({ kind: 'syslog', url: 'syslog+tls://logs.example.com:6514' })).toBe('syslog+tls://logs.example.com:6514');
    expect(shownTarget({ kind: 'slack', url: 'https://hooks.slack.com/services/T000/B000/XXXXSECRET' })).toBe('https://hooks.slack.com/…');
    expect(shownTarget({ kind: 'slack', url: 'not a url' })).toBe('…');
  });
});
