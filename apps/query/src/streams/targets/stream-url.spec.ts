import type { StreamKind } from '@runtrail/contracts';
import { parseStreamUrl, type StreamTarget } from './stream-url';

/** The target, failing the test with the message when the URL was refused. */
function accepted(kind: StreamKind, raw: string): StreamTarget {
  const target = parseStreamUrl(kind, raw);
  if (typeof target === 'string') throw new Error(`${raw} refused: ${target}`);
  return target;
}

const HTTP_KINDS: StreamKind[] = ['webhook', 'splunk-hec', 'slack'];

describe('parseStreamUrl', () => {
  describe.each(HTTP_KINDS)('%s', (kind) => {
    it.each([
      ['https://siem.example.com/hooks/runtrail', 'siem.example.com'],
      ['http://10.1.2.3:8088', '10.1.2.3'],
      ['https://SIEM.Example.com:8443/in?token=abc', 'siem.example.com'],
      ['http://[fd00::1]:8080/x', '[fd00::1]'],
    ])('accepts %s with host %s', (raw, host) => {
      const target = accepted(kind, raw);
      expect(target).toEqual({ kind, url: new URL(raw), host, tls: false });
    });

    it('keeps the path and query of the URL', () => {
      const target = accepted(kind, 'https://hooks.example.com/services/T000/B000/XXXX?channel=audit');
      expect(target.url.pathname).toBe('/services/T000/B000/XXXX');
      expect(target.url.search).toBe('?channel=audit');
    });

    it.each(['syslog://siem.example.com:514', 'ftp://files.example.com/in', 'ws://siem.example.com/in', 'file:///etc/passwd'])('refuses %s: not http(s)', (raw) => {
      expect(parseStreamUrl(kind, raw)).toBe(`url of a ${kind} stream must be http:// or https://`);
    });

    it('refuses a #fragment', () => {
      expect(parseStreamUrl(kind, 'https://siem.example.com/in#part')).toBe('url must not carry a #fragment');
    });
  });

  describe('syslog', () => {
    it('accepts syslog://host:port as plain TCP', () => {
      const target = accepted('syslog', 'syslog://siem.example.com:514');
      expect(target.kind).toBe('syslog');
      expect(target.host).toBe('siem.example.com');
      expect(target.url.port).toBe('514');
      expect(target.tls).toBe(false);
    });

    it('accepts syslog+tls://host:port as TLS', () => {
      const target = accepted('syslog', 'syslog+tls://siem.example.com:6514');
      expect(target.host).toBe('siem.example.com');
      expect(target.url.port).toBe('6514');
      expect(target.tls).toBe(true);
    });

    it('accepts an address, IPv6 bracketed, and a trailing slash', () => {
      expect(accepted('syslog', 'syslog://10.1.2.3:514').host).toBe('10.1.2.3');
      expect(accepted('syslog', 'syslog://[fd00::1]:514').host).toBe('[fd00::1]');
      expect(accepted('syslog', 'syslog://siem.example.com:514/').url.port).toBe('514');
    });

    it.each(['https://siem.example.com:514', 'tcp://siem.example.com:514', 'syslog+udp://siem.example.com:514'])('refuses %s: not a syslog scheme', (raw) => {
      expect(parseStreamUrl('syslog', raw)).toBe('url of a syslog stream must be syslog://host:port or syslog+tls://host:port');
    });

    it('refuses a URL without a port', () => {
      expect(parseStreamUrl('syslog', 'syslog://siem.example.com')).toBe('url of a syslog stream must name a host and a port');
      expect(parseStreamUrl('syslog', 'syslog+tls://siem.example.com/')).toBe('url of a syslog stream must name a host and a port');
    });

    it('refuses a URL without a host', () => {
      expect(parseStreamUrl('syslog', 'syslog:///var/log')).toBe('url of a syslog stream must name a host and a port');
    });

    it.each(['syslog://siem.example.com:514/audit', 'syslog://siem.example.com:514?facility=13', 'syslog+tls://siem.example.com:6514#x'])('refuses %s: a path, query or fragment', (raw) => {
      expect(parseStreamUrl('syslog', raw)).toBe('url of a syslog stream must be syslog://host:port or syslog+tls://host:port, without a path');
    });
  });

  describe.each<StreamKind>(['webhook', 'splunk-hec', 'slack', 'syslog'])('every kind: %s', (kind) => {
    const base = kind === 'syslog' ? 'syslog://' : 'https://';
    const port = kind === 'syslog' ? ':514' : '';

    it.each([`${base}user:secret@siem.example.com${port}`, `${base}user@siem.example.com${port}`, `${base}:secret@siem.example.com${port}`])('refuses a user or password: %s', (raw) => {
      expect(parseStreamUrl(kind, raw)).toBe('url must not carry a user or password; give a credential as secret');
    });

    it.each(['', 'siem.example.com', '/hooks/runtrail', 'not a url', 'https://', 'syslog://siem.example.com:99999', 'http://exa mple.com/'])(
      'refuses %j: not an absolute URL',
      (raw) => {
        expect(parseStreamUrl(kind, raw)).toBe('url must be an absolute URL');
      },
    );

    it('refuses host:port without a scheme (read as the scheme "siem.example.com:")', () => {
      expect(parseStreamUrl(kind, 'siem.example.com:514')).toMatch(/^url of a .* stream must be /);
    });
  });
});
