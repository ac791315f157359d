import { RunnerConfigError, resolveRunnerOptions, type RunnerFlags } from './runner-options';

const required: RunnerFlags = { token: 'rtr_secret', exec: 'polycrate run {block} {action}' };

function configError(flags: RunnerFlags, env: NodeJS.ProcessEnv = {}): RunnerConfigError {
  try {
    resolveRunnerOptions(flags, env);
  } catch (error) {
    if (error instanceof RunnerConfigError) return error;
    throw error;
  }
  throw new Error('expected a RunnerConfigError');
}

describe('resolveRunnerOptions', () => {
  it('uses the defaults when neither flags nor environment say otherwise', () => {
    expect(resolveRunnerOptions(required, {})).toEqual({
      token: 'rtr_secret',
      exec: 'polycrate run {block} {action}',
      execWords: ['polycrate', 'run', '{block}', '{action}'],
      ingestUrl: 'http://127.0.0.1:8080',
      queryUrl: 'http://127.0.0.1:8081',
      natsServers: ['nats://127.0.0.1:4222'],
      namespace: 'runtrail',
    });
  });

  const env = {
    RUNTRAIL_INGEST_URL: 'http://ingest.env:8080/',
    RUNTRAIL_QUERY_URL: 'https://query.env/base/',
    NATS_URL: 'nats://a.env:4222, nats://b.env:4222,',
    RUNTRAIL_NAMESPACE: 'envns',
    RUNTRAIL_RUNNER_TOKEN: 'rtr_from_env',
  };

  it('takes the environment over the defaults (trailing slashes dropped, NATS servers split on commas)', () => {
    const options = resolveRunnerOptions({ exec: 'x' }, env);
    expect(options).toMatchObject({
      token: 'rtr_from_env',
      ingestUrl: 'http://ingest.env:8080',
      queryUrl: 'https://query.env/base',
      natsServers: ['nats://a.env:4222', 'nats://b.env:4222'],
      namespace: 'envns',
    });
  });

  it('takes flags over the environment', () => {
    const options = resolveRunnerOptions(
      { ...required, ingestUrl: 'http://ingest.flag', queryUrl: 'http://query.flag:9', natsUrl: 'nats://flag:1', namespace: 'flagns' },
      env,
    );
    expect(options).toMatchObject({
      token: 'rtr_secret',
      ingestUrl: 'http://ingest.flag',
      queryUrl: 'http://query.flag:9',
      natsServers: ['nats://flag:1'],
      namespace: 'flagns',
    });
  });

  it('treats an empty environment variable as unset', () => {
    expect(resolveRunnerOptions(required, { RUNTRAIL_QUERY_URL: '', NATS_URL: '' })).toMatchObject({
      queryUrl: 'http://127.0.0.1:8081',
      natsServers: ['nats://127.0.0.1:4222'],
    });
  });

  it('requires --token (or RUNTRAIL_RUNNER_TOKEN)', () => {
    expect(configError({ exec: 'x' }).message).toMatch(/^--token is required/);
    expect(configError({ exec: 'x', token: '  ' }).message).toMatch(/^--token is required/);
  });

  it('requires --exec', () => {
    expect(configError({ token: 't' }).message).toMatch(/^--exec is required/);
  });

  it('refuses an --exec template that does not parse, saying why', () => {
    expect(configError({ token: 't', exec: 'polycrate run {blok}' }).message).toMatch(/unknown placeholder \{blok\}/);
    expect(configError({ token: 't', exec: 'polycrate "run' }).message).toMatch(/unterminated double quote/);
    expect(configError({ token: 't', exec: '   ' }).message).toMatch(/template is empty/);
  });

  it.each<[string, RunnerFlags, NodeJS.ProcessEnv, RegExp]>([
    ['a query URL that is not a URL', { queryUrl: 'query:8081' }, {}, /^--query-url \(or RUNTRAIL_QUERY_URL\) must be an http\(s\) URL/],
    ['an ingest URL from the environment that is not http', {}, { RUNTRAIL_INGEST_URL: 'ftp://x' }, /^--ingest-url \(or RUNTRAIL_INGEST_URL\) must be an http\(s\) URL/],
    ['a base URL with a query', { ingestUrl: 'http://x/?a=1' }, {}, /without query or fragment/],
    ['no NATS server', { natsUrl: ' , ' }, {}, /must name at least one server/],
    ['NATS servers separated by spaces', { natsUrl: 'nats://a:1 nats://b:2' }, {}, /separated by commas/],
    ['an empty namespace', { namespace: ' ' }, {}, /--namespace must not be empty/],
  ])('refuses %s', (_name, flags, environment, message) => {
    expect(configError({ ...required, ...flags }, environment).message).toMatch(message);
  });

  it('never repeats the token in an error', () => {
    const error = configError({ token: 'rtr_secret value', exec: 'x' });
    expect(error.message).toMatch(/white space/);
    expect(error.message).not.toContain('rtr_secret');
  });
});
