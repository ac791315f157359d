import { parseNatsServers } from './nats-url';

describe('parseNatsServers', () => {
  it('leaves URLs without credentials alone', () => {
    expect(parseNatsServers(['nats://127.0.0.1:4222', 'tls://nats.example:4443'])).toEqual({
      servers: ['nats://127.0.0.1:4222', 'tls://nats.example:4443'],
    });
  });

  it('takes user and password (percent-decoded) out of the URLs', () => {
    expect(parseNatsServers(['nats://runner-1:p%40ss%3Aword@a:4222', 'nats://b:4222'])).toEqual({
      servers: ['nats://a:4222', 'nats://b:4222'],
      user: 'runner-1',
      pass: 'p@ss:word',
    });
  });

  it('reads a lone user part as a token', () => {
    expect(parseNatsServers(['nats://s3cr3t@a:4222'])).toEqual({ servers: ['nats://a:4222'], token: 's3cr3t' });
  });

  it('refuses two different sets of credentials, without echoing them', () => {
    const attempt = () => parseNatsServers(['nats://u:pw-alpha@a:4222', 'nats://u:pw-bravo@b:4222']);
    expect(attempt).toThrow(/same ones$/);
    expect(attempt).not.toThrow(/pw-/);
  });
});
