import { TargetAllowList, isTargetAllowList } from './target-allow-list';

/** A resolver that knows only the names given, and fails for any other like an NXDOMAIN would. */
function resolver(table: Record<string, string[]>): jest.Mock<Promise<string[]>, [string]> {
  return jest.fn(async (name: string) => {
    const addresses = table[name];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return addresses;
  });
}

/** Never called: asking it is a failure of the test. */
const noDns = () => resolver({});

describe('TargetAllowList', () => {
  describe('unset', () => {
    it.each([[undefined], [''], ['   ']])('allows every host when the setting is %j, without resolving', async (setting) => {
      const resolve = noDns();
      const allow = new TargetAllowList(setting);
      await expect(allow.allows('siem.example.com', resolve)).resolves.toBe(true);
      await expect(allow.allows('10.1.2.3', resolve)).resolves.toBe(true);
      await expect(allow.allows('[::1]', resolve)).resolves.toBe(true);
      expect(resolve).not.toHaveBeenCalled();
    });
  });

  describe('host names', () => {
    it('allows a listed name exactly, whatever its case, and refuses others', async () => {
      const allow = new TargetAllowList(' SIEM.example.com , logs.internal ');
      const resolve = noDns();
      await expect(allow.allows('siem.example.com', resolve)).resolves.toBe(true);
      await expect(allow.allows('Siem.Example.COM', resolve)).resolves.toBe(true);
      await expect(allow.allows('logs.internal', resolve)).resolves.toBe(true);
      await expect(allow.allows('other.example.com', resolve)).resolves.toBe(false);
      await expect(allow.allows('siem.example.com.evil.net', resolve)).resolves.toBe(false);
      await expect(allow.allows('example.com', resolve)).resolves.toBe(false);
      // Without a range in the list, a name that is not listed is refused without a lookup.
      expect(resolve).not.toHaveBeenCalled();
    });

    it('allows every name under a .suffix, but not the suffix itself nor look-alikes', async () => {
      const allow = new TargetAllowList('.example.com');
      const resolve = noDns();
      await expect(allow.allows('a.example.com', resolve)).resolves.toBe(true);
      await expect(allow.allows('deep.a.example.com', resolve)).resolves.toBe(true);
      await expect(allow.allows('example.com', resolve)).resolves.toBe(false);
      await expect(allow.allows('badexample.com', resolve)).resolves.toBe(false);
      await expect(allow.allows('example.com.evil.net', resolve)).resolves.toBe(false);
      await expect(allow.allows('a.example.co', resolve)).resolves.toBe(false);
    });

    it('does not let an address pass because a name is listed', async () => {
      const allow = new TargetAllowList('siem.example.com,.example.com');
      await expect(allow.allows('10.0.0.1', noDns())).resolves.toBe(false);
      await expect(allow.allows('[::1]', noDns())).resolves.toBe(false);
    });
  });

  describe('addresses and ranges', () => {
    it('allows an IPv4 address inside a CIDR range and refuses one outside', async () => {
      const allow = new TargetAllowList('10.0.0.0/8,192.168.1.0/24');
      await expect(allow.allows('10.200.3.4')).resolves.toBe(true);
      await expect(allow.allows('192.168.1.255')).resolves.toBe(true);
      await expect(allow.allows('192.168.2.1')).resolves.toBe(false);
      await expect(allow.allows('11.0.0.1')).resolves.toBe(false);
    });

    it('allows an IPv6 address inside a CIDR range, bracketed as a URL host carries it', async () => {
      const allow = new TargetAllowList('fd00::/8,::1/128');
      await expect(allow.allows('[fd12:3456::1]')).resolves.toBe(true);
      await expect(allow.allows('fd12:3456::1')).resolves.toBe(true);
      await expect(allow.allows('[::1]')).resolves.toBe(true);
      await expect(allow.allows('[fe80::1]')).resolves.toBe(false);
      await expect(allow.allows('[::2]')).resolves.toBe(false);
    });

    it('does not mix the families: an IPv4 range does not take an IPv6 address outside it', async () => {
      const allow = new TargetAllowList('127.0.0.0/8');
      await expect(allow.allows('127.0.0.1')).resolves.toBe(true);
      await expect(allow.allows('[::1]')).resolves.toBe(false);
    });

    it('treats an IPv4-mapped IPv6 address (as a URL writes it) like the IPv4 address it maps', async () => {
      const allow = new TargetAllowList('10.0.0.0/8');
      // new URL('http://[::ffff:10.0.0.1]/').hostname is '[::ffff:a00:1]'.
      await expect(allow.allows('[::ffff:a00:1]')).resolves.toBe(true);
      await expect(allow.allows('[::ffff:b00:1]')).resolves.toBe(false);
    });

    it('allows a bare IPv6 address listed without a prefix length, and only that address', async () => {
      const allow = new TargetAllowList('::1');
      await expect(allow.allows('[::1]')).resolves.toBe(true);
      await expect(allow.allows('::1')).resolves.toBe(true);
      await expect(allow.allows('[::2]')).resolves.toBe(false);
    });

    it('allows a single IPv4 address listed as a /32 range, and only that address', async () => {
      const allow = new TargetAllowList('10.0.0.1/32');
      await expect(allow.allows('10.0.0.1')).resolves.toBe(true);
      await expect(allow.allows('10.0.0.2')).resolves.toBe(false);
    });
  });

  describe('names resolved into ranges', () => {
    it('allows a name when every address it resolves to lies in a listed range', async () => {
      const allow = new TargetAllowList('10.0.0.0/8,fd00::/8');
      const resolve = resolver({ 'siem.internal': ['10.1.2.3', '10.9.9.9', 'fd00::5'] });
      await expect(allow.allows('siem.internal', resolve)).resolves.toBe(true);
      expect(resolve).toHaveBeenCalledWith('siem.internal');
    });

    it('looks up the name in lower case', async () => {
      const allow = new TargetAllowList('10.0.0.0/8');
      const resolve = resolver({ 'siem.internal': ['10.1.2.3'] });
      await expect(allow.allows('SIEM.Internal', resolve)).resolves.toBe(true);
      expect(resolve).toHaveBeenCalledWith('siem.internal');
    });

    it('refuses a name when any one of its addresses lies outside the ranges', async () => {
      const allow = new TargetAllowList('10.0.0.0/8');
      const resolve = resolver({ 'mixed.internal': ['10.1.2.3', '203.0.113.7'], 'v6too.internal': ['10.1.2.3', '2001:db8::1'] });
      await expect(allow.allows('mixed.internal', resolve)).resolves.toBe(false);
      await expect(allow.allows('v6too.internal', resolve)).resolves.toBe(false);
    });

    it('refuses a name that does not resolve, or resolves to nothing', async () => {
      const allow = new TargetAllowList('10.0.0.0/8');
      await expect(allow.allows('nowhere.internal', resolver({}))).resolves.toBe(false);
      await expect(allow.allows('empty.internal', resolver({ 'empty.internal': [] }))).resolves.toBe(false);
    });

    it('does not look up a name the list names, nor an address', async () => {
      const allow = new TargetAllowList('siem.example.com,10.0.0.0/8');
      const resolve = noDns();
      await expect(allow.allows('siem.example.com', resolve)).resolves.toBe(true);
      await expect(allow.allows('10.0.0.7', resolve)).resolves.toBe(true);
      await expect(allow.allows('203.0.113.7', resolve)).resolves.toBe(false);
      expect(resolve).not.toHaveBeenCalled();
    });
  });
});

describe('isTargetAllowList', () => {
  it.each([
    ['siem.example.com'],
    ['.example.com'],
    ['10.0.0.0/8'],
    ['10.0.0.0/0'],
    ['10.0.0.0/32'],
    ['fd00::/8'],
    ['::1/128'],
    ['::1'],
    ['203.0.113.7'],
    ['siem.example.com, .example.com ,10.0.0.0/8,fd00::/8'],
    ['SIEM.Example.com'],
  ])('accepts %j', (setting) => {
    expect(isTargetAllowList(setting)).toBe(true);
  });

  it.each([
    ['10.0.0.0/33', 'an IPv4 prefix above 32'],
    ['fd00::/129', 'an IPv6 prefix above 128'],
    ['10.0.0.0/', 'a range without its length'],
    ['10.0.0.0/-1', 'a negative length'],
    ['10.0.0.0/8.5', 'a length that is not a whole number'],
    ['1.2.3.4/8/1', 'a second slash'],
    ['example.com/8', 'a range of a name'],
    ['foo_bar', 'an underscore in a name'],
    ['https://siem.example.com', 'a URL instead of a host'],
    ['siem.example.com:8088', 'a port'],
    ['-bad.example.com', 'a label starting with a hyphen'],
    ['a.com,,b.com', 'an empty item between two commas'],
    ['a.com,', 'a trailing comma'],
    [',a.com', 'a leading comma'],
    ['', 'an empty setting (loadConfig drops it before validation: unset)'],
  ])('refuses %j (%s)', (setting) => {
    expect(isTargetAllowList(setting)).toBe(false);
  });

  it('refuses a list longer than 4096 characters, though each item is good', () => {
    const hosts = (n: number) => Array.from({ length: n }, (_, i) => `host${String(i).padStart(3, '0')}.example.com`).join(',');
    expect(hosts(200).length).toBeLessThanOrEqual(4096);
    expect(isTargetAllowList(hosts(200))).toBe(true);
    expect(hosts(300).length).toBeGreaterThan(4096);
    expect(isTargetAllowList(hosts(300))).toBe(false);
  });

  it.each([[undefined], [null], [42], [['a.com']]])('refuses a value that is not a string: %j', (value) => {
    expect(isTargetAllowList(value)).toBe(false);
  });
});

describe('TargetAllowList, beyond the setting check', () => {
  it('allows a bare IPv4 address listed, and names resolving only to it', async () => {
    const allow = new TargetAllowList('10.0.0.1');
    await expect(allow.allows('10.0.0.1')).resolves.toBe(true);
    await expect(allow.allows('10.0.0.2')).resolves.toBe(false);
    await expect(allow.allows('siem.internal', async () => ['10.0.0.1'])).resolves.toBe(true);
  });

  it('refuses to be made from a setting that is not one, rather than allow every host', () => {
    expect(() => new TargetAllowList('a.com,,b.com')).toThrow('STREAM_TARGET_ALLOW must be');
  });
});
