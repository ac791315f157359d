import { errorFields } from './error-fields';

describe('errorFields', () => {
  it('keeps type, code and message, and drops the stack and driver extras', () => {
    const err = Object.assign(new Error('duplicate key value violates unique constraint'), {
      name: 'QueryFailedError',
      code: '23505',
      query: 'INSERT INTO audit_events ...',
      parameters: ['rt_secret'],
    });
    const fields = errorFields(err);
    expect(fields).toEqual({ type: 'QueryFailedError', code: '23505', message: 'duplicate key value violates unique constraint' });
    expect(JSON.stringify(fields)).not.toMatch(/at |INSERT|rt_secret/);
  });

  it('bounds long messages and copes with non-errors', () => {
    expect(errorFields(new Error('x'.repeat(1000))).message).toHaveLength(300);
    expect(errorFields('plain')).toEqual({ type: 'string', message: 'plain' });
  });

  it('reads what an object thrown in place of an Error says of itself, and never the values of its other fields', () => {
    expect(errorFields({ code: 408, description: 'Request Timeout' })).toEqual({ type: 'object', code: '408', message: 'Request Timeout' });
    expect(errorFields({ message: 'consumer deleted', token: 'rt_secret' })).toEqual({ type: 'object', message: 'consumer deleted' });
    const opaque = errorFields({ token: 'rt_secret', nested: { a: 1 } });
    expect(opaque).toEqual({ type: 'object', message: 'an object with fields token, nested' });
    expect(JSON.stringify(opaque)).not.toContain('rt_secret');
  });
});
