import { CI_CORRELATION_VARIABLES, correlationIdProblem, resolveCorrelationId } from './correlation-id';

describe('correlationIdProblem', () => {
  it.each([['42'], ['jenkins-deploy-42'], ['CHG-1234 / release 7'], ['ü'.repeat(128)]])('accepts %j', (value) => {
    expect(correlationIdProblem(value)).toBeUndefined();
  });

  it.each([[''], ['x'.repeat(129)], ['a\nb'], ['a\u0000b'], ['\u001b[31mred'], ['tab\there'], ['del\u007f']])('refuses %j', (value) => {
    expect(correlationIdProblem(value)).toBe('must be 1 to 128 printable characters');
  });
});

describe('resolveCorrelationId', () => {
  it('has none without a flag, RUNTRAIL_CORRELATION_ID or a CI variable', () => {
    expect(resolveCorrelationId(undefined, { HOME: '/home/ci', BUILD_NUMBER: '42', CI: 'true' })).toEqual({});
  });

  it.each([
    ['GITHUB_RUN_ID', '9876543210'],
    ['CI_PIPELINE_ID', '1234567'],
    ['BUILD_TAG', 'jenkins-deploy-42'],
    ['BUILD_BUILDID', '8812'],
    ['CIRCLE_WORKFLOW_ID', '5f1a1b2c-3d4e-4f50-8a9b-0c1d2e3f4a5b'],
    ['BUILDKITE_BUILD_ID', '0190b7f2-1c3d-7e4f-9a8b-2c3d4e5f6a7b'],
  ])('takes the pipeline id from %s', (variable, value) => {
    expect(resolveCorrelationId(undefined, { [variable]: value })).toEqual({ correlationId: value });
  });

  it('tries the CI variables in the documented order', () => {
    expect(CI_CORRELATION_VARIABLES.map((c) => c.variable)).toEqual([
      'GITHUB_RUN_ID',
      'CI_PIPELINE_ID',
      'BUILD_TAG',
      'BUILD_BUILDID',
      'CIRCLE_WORKFLOW_ID',
      'BUILDKITE_BUILD_ID',
    ]);
    const all = Object.fromEntries(CI_CORRELATION_VARIABLES.map((c) => [c.variable, `id-of-${c.variable}`]));
    for (const { variable } of CI_CORRELATION_VARIABLES) {
      expect(resolveCorrelationId(undefined, all)).toEqual({ correlationId: `id-of-${variable}` });
      delete all[variable];
    }
  });

  it('prefers RUNTRAIL_CORRELATION_ID to any CI variable, and the flag to both', () => {
    const env = { RUNTRAIL_CORRELATION_ID: 'CHG-1234', GITHUB_RUN_ID: '98', CI_PIPELINE_ID: '12', BUILD_TAG: 'jenkins-x-1' };
    expect(resolveCorrelationId(undefined, env)).toEqual({ correlationId: 'CHG-1234' });
    expect(resolveCorrelationId('release-7', env)).toEqual({ correlationId: 'release-7' });
  });

  it('counts an empty variable as unset and goes on to the next source', () => {
    expect(resolveCorrelationId(undefined, { RUNTRAIL_CORRELATION_ID: '', GITHUB_RUN_ID: '', CI_PIPELINE_ID: '77' })).toEqual({ correlationId: '77' });
  });

  it('leaves an invalid value out with one warning naming its source, not the value, and tries no later source', () => {
    const long = 'x'.repeat(200);
    expect(resolveCorrelationId(undefined, { RUNTRAIL_CORRELATION_ID: long, GITHUB_RUN_ID: '98' })).toEqual({
      warning: 'not sending a correlation id: RUNTRAIL_CORRELATION_ID must be 1 to 128 printable characters',
    });
    expect(resolveCorrelationId(undefined, { BUILD_TAG: 'jenkins-\u001b[2J' })).toEqual({
      warning: 'not sending a correlation id: BUILD_TAG must be 1 to 128 printable characters',
    });
  });

  it('answers an invalid flag with a warning too (the command refuses it before it gets here)', () => {
    expect(resolveCorrelationId('', { GITHUB_RUN_ID: '98' })).toEqual({ warning: 'not sending a correlation id: --correlation-id must be 1 to 128 printable characters' });
  });
});
