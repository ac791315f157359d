import { plainToInstance } from 'class-transformer';
import { ConfigError, loadConfig, settingNames } from './load-config';
import { DatabaseConfig } from './shared.config';

describe('loadConfig', () => {
  it('uses the defaults for unset and empty variables', () => {
    const c = loadConfig(DatabaseConfig, { NATS_URL: '', RUNTRAIL_NAMESPACE: undefined });
    expect(c.NATS_URL).toBe('nats://127.0.0.1:4222');
    expect(c.RUNTRAIL_NAMESPACE).toBe('runtrail');
    expect(c.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/runtrail');
    expect(c.STREAM_MAX_AGE_SECONDS).toBe(0);
  });

  it('splits a comma-separated NATS_URL', () => {
    expect(loadConfig(DatabaseConfig, { NATS_URL: 'nats://a:4222,nats://b:4222' }).natsServers).toEqual([
      'nats://a:4222',
      'nats://b:4222',
    ]);
  });

  it('names every bad variable', () => {
    const attempt = () =>
      loadConfig(DatabaseConfig, {
        RUNTRAIL_NAMESPACE: 'has.dot',
        RUNTRAIL_ADMIN_KEY: 'short',
        DATABASE_URL: 'mysql://x',
        STREAM_REPLICAS: '2',
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/RUNTRAIL_NAMESPACE/);
    expect(attempt).toThrow(/RUNTRAIL_ADMIN_KEY must be at least 32 characters/);
    expect(attempt).toThrow(/DATABASE_URL must be a postgres/);
    expect(attempt).toThrow(/STREAM_REPLICAS must be 1, 3 or 5/);
  });

  it('reads the rate limits, 0 switching one off, and names a bad one', () => {
    const defaults = loadConfig(DatabaseConfig, {});
    expect([defaults.RATE_LIMIT_KEY_PER_SECOND, defaults.RATE_LIMIT_KEY_BURST]).toEqual([100, 200]);
    expect([defaults.RATE_LIMIT_TENANT_PER_SECOND, defaults.RATE_LIMIT_TENANT_BURST]).toEqual([200, 400]);
    expect(loadConfig(DatabaseConfig, { RATE_LIMIT_KEY_PER_SECOND: '0' }).RATE_LIMIT_KEY_PER_SECOND).toBe(0);
    expect(() => loadConfig(DatabaseConfig, { RATE_LIMIT_KEY_BURST: '0' })).toThrow(/RATE_LIMIT_KEY_BURST must be an integer between 1/);
    expect(() => loadConfig(DatabaseConfig, { RATE_LIMIT_TENANT_PER_SECOND: '-1' })).toThrow(
      /RATE_LIMIT_TENANT_PER_SECOND must be an integer between 0 \(off\)/,
    );
    expect(() => loadConfig(DatabaseConfig, { RATE_LIMIT_TENANT_BURST: '1.5' })).toThrow(/RATE_LIMIT_TENANT_BURST/);
  });

  it('refuses a root key that cannot travel in a Bearer header', () => {
    expect(() => loadConfig(DatabaseConfig, { RUNTRAIL_ADMIN_KEY: 'a'.repeat(20) + ' ' + 'b'.repeat(20) })).toThrow(
      /RUNTRAIL_ADMIN_KEY must not contain white space/,
    );
    expect(loadConfig(DatabaseConfig, { RUNTRAIL_ADMIN_KEY: 'x'.repeat(32) }).RUNTRAIL_ADMIN_KEY).toBe('x'.repeat(32));
  });

  it('lists the variables a config class reads, its ancestors\' included, and nothing else', () => {
    const names = settingNames(DatabaseConfig);
    expect(names).toEqual(expect.arrayContaining(['DATABASE_URL', 'NATS_URL', 'RUNTRAIL_ADMIN_KEY', 'STREAM_REPLICAS', 'RATE_LIMIT_TENANT_BURST']));
    // A getter is not a setting, and a name loadConfig ignores is not listed.
    expect(names).not.toContain('natsServers');
    const ignored = loadConfig(DatabaseConfig, { NOT_A_SETTING: 'x' }) as unknown as Record<string, unknown>;
    expect(ignored.NOT_A_SETTING).toBeUndefined();
    expect(names).not.toContain('NOT_A_SETTING');
    // Each listed name is taken from the environment: a value given for it arrives.
    const given = Object.fromEntries(names.map((n) => [n, '3']));
    const loaded = plainToInstance(DatabaseConfig, given, { excludeExtraneousValues: true }) as unknown as Record<string, unknown>;
    expect(names.filter((n) => String(loaded[n]) !== '3')).toEqual([]);
  });
});
