import { ConfigError, loadConfig } from '@runtrail/platform';
import { QueryConfig } from './query.config';

describe('QueryConfig', () => {
  it('defaults: no PUBLIC_URL, no CONSOLE_DIR, /embed framed by anyone, schedules looked at every 5 s', () => {
    expect(loadConfig(QueryConfig, {})).toMatchObject({ PUBLIC_URL: undefined, CONSOLE_DIR: undefined, EMBED_FRAME_ANCESTORS: '*', SCHEDULE_TICK_SECONDS: 5 });
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
    ]) {
      expect(() => loadConfig(QueryConfig, { [name]: value })).toThrow(ConfigError);
      expect(() => loadConfig(QueryConfig, { [name]: value })).toThrow(new RegExp(`${name} must`));
    }
  });
});
