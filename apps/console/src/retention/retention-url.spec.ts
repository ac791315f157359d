import { describe, expect, it } from 'vitest';
import { readTenant, writeTenant } from './retention-url';

describe('retention URL state', () => {
  it('keeps the root key’s tenant in `tenant`, other keys untouched', () => {
    expect(readTenant(new URLSearchParams('tenant=%20acme%20'))).toBe('acme');
    expect(readTenant(new URLSearchParams(''))).toBe('');
    expect(writeTenant('globex', new URLSearchParams('x=1')).toString()).toBe('x=1&tenant=globex');
    expect(writeTenant('', new URLSearchParams('tenant=acme&x=1')).toString()).toBe('x=1');
  });
});
