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
});
