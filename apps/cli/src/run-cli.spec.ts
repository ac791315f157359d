import { runCli } from './run-cli';
import { runtrailVersion } from './package-version';

describe('runCli', () => {
  const run = async (...args: string[]) => {
    let out = '';
    let err = '';
    const code = await runCli(['node', 'runtrail', ...args], {
      writeOut: (text) => (out += text),
      writeErr: (text) => (err += text),
    });
    return { code, out, err };
  };

  it('prints the checkout version and resolves to 0 instead of exiting', async () => {
    expect(await run('--version')).toEqual({ code: 0, out: `${runtrailVersion()}\n`, err: '' });
  });

  it('resolves to 1 on a usage error', async () => {
    const { code, err } = await run('--nope');
    expect(code).toBe(1);
    expect(err).toContain("unknown option '--nope'");
  });
});
