import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@runtrail/platform';
import { QueryConfig } from './query.config';

describe('QueryConfig', () => {
  it('defaults: no PUBLIC_URL, no CONSOLE_DIR, /embed framed by anyone, schedules looked at every 5 s, a command lease of 60 s', () => {
    expect(loadConfig(QueryConfig, {})).toMatchObject({ PUBLIC_URL: undefined, CONSOLE_DIR: undefined, EMBED_FRAME_ANCESTORS: '*', SCHEDULE_TICK_SECONDS: 5, COMMAND_LEASE_SECONDS: 60 });
  });

  it('takes an origin as PUBLIC_URL and a source list as EMBED_FRAME_ANCESTORS', () => {
    const config = loadConfig(QueryConfig, { PUBLIC_URL: 'https://runtrail.example.com', EMBED_FRAME_ANCESTORS: "'self' https://app.example.com", CONSOLE_DIR: '/srv/console' });
    expect(config).toMatchObject({ PUBLIC_URL: 'https://runtrail.example.com', EMBED_FRAME_ANCESTORS: "'self' https://app.example.com", CONSOLE_DIR: '/srv/console' });
  });

  it('stops at start on a bad value, naming the variable', () => {
    for (const [name, value] of [
      ['PUBLIC_URL', 'runtrail.example.com'],
      ['PUBLIC_URL', 'https://runtrail.example.com/console'],
      ['PUBLIC_URL', 'javascript:alert(1)'],
      ['EMBED_FRAME_ANCESTORS', "*; script-src 'unsafe-inline'"],
      ['EMBED_FRAME_ANCESTORS', 'https://a.example.com,https://b.example.com'],
      ['SCHEDULE_TICK_SECONDS', '0'],
      ['SCHEDULE_TICK_SECONDS', 'often'],
      // Shorter than the agent's 10 s heartbeat with room for a late beat would fail live runners' commands.
      ['COMMAND_LEASE_SECONDS', '14'],
      ['RUNTRAIL_INSTALLATION', 'EU-1'],
      ['RUNTRAIL_INSTALLATION', 'runtrail/eu'],
      ['CHECKPOINT_INTERVAL_SECONDS', '0'],
      ['RUNTRAIL_SIGNING_KEY', 'c2VjcmV0'],
    ]) {
      expect(() => loadConfig(QueryConfig, { [name]: value })).toThrow(ConfigError);
      expect(() => loadConfig(QueryConfig, { [name]: value })).toThrow(new RegExp(`${name} must`));
    }
  });

  it('signs checkpoints every 60 s as installation local, with a generated key unless RUNTRAIL_SIGNING_KEY gives one', () => {
    expect(loadConfig(QueryConfig, {})).toMatchObject({ RUNTRAIL_SIGNING_KEY: undefined, RUNTRAIL_INSTALLATION: 'local', CHECKPOINT_INTERVAL_SECONDS: 60 });
    const seed = randomBytes(32).toString('base64');
    expect(loadConfig(QueryConfig, { RUNTRAIL_SIGNING_KEY: seed, RUNTRAIL_INSTALLATION: 'eu-1.example', CHECKPOINT_INTERVAL_SECONDS: '1' })).toMatchObject({
      RUNTRAIL_SIGNING_KEY: seed,
      RUNTRAIL_INSTALLATION: 'eu-1.example',
      CHECKPOINT_INTERVAL_SECONDS: 1,
    });
  });

  it('refuses a signing key it cannot use without quoting it', () => {
    const wrong = randomBytes(31).toString('base64');
    expect(() => loadConfig(QueryConfig, { RUNTRAIL_SIGNING_KEY: wrong })).toThrow(
      'RUNTRAIL_SIGNING_KEY must be the base64 of a 32-byte Ed25519 seed, or an Ed25519 private key in PKCS#8 PEM',
    );
    expect(() => loadConfig(QueryConfig, { RUNTRAIL_SIGNING_KEY: wrong })).not.toThrow(wrong);
  });
});
