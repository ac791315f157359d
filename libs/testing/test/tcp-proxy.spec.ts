import { createServer, connect, type Server } from 'node:net';
import { once } from 'node:events';
import { TcpProxy, eventually, freePort } from '../src';

/** Sends a line through a TCP connection and reads the echo, or the error code. */
async function roundTrip(port: number): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  try {
    await Promise.race([once(socket, 'connect'), once(socket, 'error').then(([e]) => Promise.reject(e))]);
    socket.write('ping');
    const [data] = await Promise.race([once(socket, 'data'), once(socket, 'close').then(() => ['closed'])]);
    return String(data);
  } catch (err) {
    return (err as { code?: string }).code ?? 'error';
  } finally {
    socket.destroy();
  }
}

describe('TcpProxy', () => {
  let echo: Server;
  let echoPort: number;

  beforeAll(async () => {
    echoPort = await freePort();
    echo = createServer((s) => s.on('data', (d) => s.write(`echo:${d}`)));
    await new Promise<void>((r) => echo.listen(echoPort, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => echo.close(() => r())));

  it('relays to the target, refuses while cut, and relays again once restored', async () => {
    const proxy = await TcpProxy.start(echoPort);
    expect(await roundTrip(proxy.port)).toBe('echo:ping');
    await proxy.cut();
    expect(await roundTrip(proxy.port)).toBe('ECONNREFUSED');
    await proxy.restore();
    expect(await roundTrip(proxy.port)).toBe('echo:ping');
    await proxy.cut();
  });

  it('drops connections that are open when it is cut', async () => {
    const proxy = await TcpProxy.start(echoPort);
    const socket = connect(proxy.port, '127.0.0.1');
    await once(socket, 'connect');
    const closed = once(socket, 'close');
    await proxy.cut();
    await closed;
    expect(socket.destroyed).toBe(true);
  });
});

describe('eventually', () => {
  it('returns the first defined value and fails with what it waited for', async () => {
    let n = 0;
    expect(await eventually(async () => (++n >= 3 ? n : undefined), 2000)).toBe(3);
    await expect(eventually(async () => undefined, 200, 'the moon')).rejects.toThrow('timed out waiting for the moon');
  });
});
