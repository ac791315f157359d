import { fingerprint, nextLink } from './page';

describe('nextLink', () => {
  it('repeats filters and limit, and pages by cursor instead of offset', () => {
    const link = nextLink('/v1/k8s/audit', { start: '2022-1-1', action: 'Update', offset: '80', limit: '5' }, 5, 'abc.def');
    expect(link).toBe('</v1/k8s/audit?start=2022-1-1&action=Update&limit=5&cursor=abc.def>; rel="next"');
  });

  it('encodes filter values', () => {
    expect(nextLink('/v1/audit', { source_name: 'a b&c' }, 40, 'x')).toBe(
      '</v1/audit?source_name=a+b%26c&limit=40&cursor=x>; rel="next"',
    );
  });
});

describe('fingerprint', () => {
  it('does not depend on the order of the filters', () => {
    expect(fingerprint('acme', { a: 1, b: 2 })).toBe(fingerprint('acme', { b: 2, a: 1 }));
  });

  it('differs by tenant and by filter value', () => {
    expect(fingerprint('acme', { a: 1 })).not.toBe(fingerprint('other', { a: 1 }));
    expect(fingerprint('acme', { a: 1 })).not.toBe(fingerprint('acme', { a: 2 }));
  });
});
