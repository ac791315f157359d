import { RETRYABLE_STATUSES } from './retry-policy';

describe('the client retry rules', () => {
  it('retries only statuses that may succeed later', () => {
    expect([...RETRYABLE_STATUSES].sort()).toEqual([429, 502, 503, 504]);
  });
});
