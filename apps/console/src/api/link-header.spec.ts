import { describe, expect, it } from 'vitest';
import { nextCursor } from './link-header';

describe('nextCursor', () => {
  it('takes the cursor of the rel="next" link the API sends', () => {
    expect(nextCursor('</v1/audit?start=2022-1-1&limit=2&cursor=eyJ0Ijoi.Xk2>; rel="next"')).toBe('eyJ0Ijoi.Xk2');
  });

  it('decodes the cursor and ignores the other parameters', () => {
    expect(nextCursor('</v1/action-runs?status=failed%2Caborted&cursor=a%2Bb%3D%3D&limit=40>; rel="next"')).toBe('a+b==');
  });

  it('finds next among several links and relation types, quoted or not, in any case', () => {
    expect(nextCursor('</v1/audit?cursor=first>; rel="first", </v1/audit?cursor=n2>; rel=next')).toBe('n2');
    expect(nextCursor('</v1/audit?cursor=n3>; title="a, b"; rel="prefetch NEXT"')).toBe('n3');
  });

  it('gives nothing for the last page, another relation or a link without a cursor', () => {
    expect(nextCursor(null)).toBeNull();
    expect(nextCursor('')).toBeNull();
    expect(nextCursor('</v1/audit?cursor=p>; rel="prev"')).toBeNull();
    expect(nextCursor('</v1/audit?offset=40>; rel="next"')).toBeNull();
    expect(nextCursor('garbage')).toBeNull();
  });
});
