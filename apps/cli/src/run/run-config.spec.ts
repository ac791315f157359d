import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRunConfig, runtrailPaths } from './run-config';

const KEY = 'rt_abcdefghijklmnopqrstuvwxyz0123456789';

describe('loadRunConfig', () => {
  let home: string;
  const write = (text: string) => writeFileSync(join(home, '.runtrail', 'config.yml'), text);

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'runtrail-config-'));
    mkdirSync(join(home, '.runtrail'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('finds everything under $HOME/.runtrail', () => {
    expect(runtrailPaths({ HOME: '/h' })).toEqual({
      dir: '/h/.runtrail',
      config: '/h/.runtrail/config.yml',
      spool: '/h/.runtrail/spool.jsonl',
      rejected: '/h/.runtrail/rejected.jsonl',
    });
  });

  it('reads url and key from the file, reporting by default', () => {
    write(`api:\n  url: http://ingest.example:8080/\n  api_key: ${KEY}\n`);
    expect(loadRunConfig({ HOME: home })).toMatchObject({ mode: 'report', url: 'http://ingest.example:8080', apiKey: KEY });
  });

  it('accepts a URL given with /v1 and strips it', () => {
    write(`api:\n  url: https://ingest.example/v1\n  api_key: ${KEY}\n`);
    expect(loadRunConfig({ HOME: home })).toMatchObject({ mode: 'report', url: 'https://ingest.example' });
  });

  it('lets RUNTRAIL_API_URL and RUNTRAIL_API_KEY override the file; an empty variable counts as unset', () => {
    write(`api:\n  url: http://file:1\n  api_key: rt_fromfile\n  submit_action_runs: true\n`);
    expect(loadRunConfig({ HOME: home, RUNTRAIL_API_URL: 'http://env:2', RUNTRAIL_API_KEY: KEY })).toMatchObject({ mode: 'report', url: 'http://env:2', apiKey: KEY });
    expect(loadRunConfig({ HOME: home, RUNTRAIL_API_URL: '', RUNTRAIL_API_KEY: KEY })).toMatchObject({ url: 'http://file:1', apiKey: KEY });
  });

  it('works from the environment alone, without a file', () => {
    expect(loadRunConfig({ HOME: home, RUNTRAIL_API_URL: 'http://env:2', RUNTRAIL_API_KEY: KEY })).toMatchObject({ mode: 'report' });
  });

  it('is off with submit_action_runs: false, whatever the environment says', () => {
    write(`api:\n  url: http://file:1\n  api_key: ${KEY}\n  submit_action_runs: false\n`);
    expect(loadRunConfig({ HOME: home, RUNTRAIL_API_URL: 'http://env:2', RUNTRAIL_API_KEY: KEY }).mode).toBe('off');
  });

  it('is unconfigured without url or key, naming what is missing', () => {
    const none = loadRunConfig({ HOME: home });
    expect(none).toMatchObject({ mode: 'unconfigured' });
    expect(none.mode === 'unconfigured' && none.problem).toMatch(/no api\.url and api\.api_key in .*config\.yml \(or RUNTRAIL_API_URL\/RUNTRAIL_API_KEY\)/);
    write('api:\n  url: http://x:1\n');
    const noKey = loadRunConfig({ HOME: home });
    expect(noKey.mode === 'unconfigured' && noKey.problem).toMatch(/^no api\.api_key in/);
  });

  it('refuses a URL that is not http(s)', () => {
    write(`api:\n  url: ftp://x\n  api_key: ${KEY}\n`);
    expect(loadRunConfig({ HOME: home })).toMatchObject({ mode: 'unconfigured', problem: 'the API URL is not an http(s) URL' });
  });

  it.each([
    [`api: [\n  api_key: ${KEY}\n`, /is not valid YAML \(\w+ at line \d+\)/],
    [`api:\n  api_key: ${KEY}\n  api_key: ${KEY}\n`, /is not valid YAML \(DUPLICATE_KEY at line 3\)/],
    ['- a\n- b\n', /is not a mapping at the top level/],
    ['api: yes please\n', /has an api that is not a mapping/],
    [`api:\n  url: 12\n  api_key: ${KEY}\n`, /has an api\.url that is not a string/],
    [`api:\n  submit_action_runs: "no"\n  api_key: ${KEY}\n`, /has an api\.submit_action_runs that is not true or false/],
  ])('turns a broken file into one problem without the key: %j', (text, problem) => {
    write(text);
    const config = loadRunConfig({ HOME: home });
    expect(config.mode).toBe('unconfigured');
    const message = config.mode === 'unconfigured' ? config.problem : '';
    expect(message).toMatch(problem);
    expect(message).not.toContain(KEY);
    expect(message).not.toContain('\n');
  });

  it('reports with the environment despite a broken file, with a notice', () => {
    write(`api: [\n  api_key: ${KEY}\n`);
    const config = loadRunConfig({ HOME: home, RUNTRAIL_API_URL: 'http://env:2', RUNTRAIL_API_KEY: 'rt_env' });
    expect(config).toMatchObject({ mode: 'report', url: 'http://env:2', apiKey: 'rt_env' });
    expect(config.mode === 'report' && config.notice).toMatch(/config\.yml is not valid YAML .*; reporting with RUNTRAIL_API_URL and RUNTRAIL_API_KEY/);
  });

  it('treats an empty file or one without api as no settings', () => {
    write('');
    expect(loadRunConfig({ HOME: home }).mode).toBe('unconfigured');
    write('other_tool:\n  x: 1\n');
    expect(loadRunConfig({ HOME: home, RUNTRAIL_API_URL: 'http://env:2', RUNTRAIL_API_KEY: KEY }).mode).toBe('report');
  });

  it('says so when the file cannot be read', () => {
    mkdirSync(join(home, '.runtrail', 'config.yml'));
    const config = loadRunConfig({ HOME: home });
    expect(config.mode === 'unconfigured' && config.problem).toMatch(/config\.yml cannot be read \(EISDIR\)/);
  });
});
