import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { displayCommand, exitCodeOf, SPAWN_FAILED_EXIT_CODE, startCommand } from './command-executor';

describe('exitCodeOf', () => {
  it.each<[number | null, NodeJS.Signals | null, number]>([
    [0, null, 0],
    [3, null, 3],
    [255, null, 255],
    [null, 'SIGTERM', 128 + constants.signals.SIGTERM],
    [null, 'SIGKILL', 128 + constants.signals.SIGKILL],
    [null, 'SIGINT', 128 + constants.signals.SIGINT],
    [null, null, 1],
  ])('code %p, signal %p -> %p', (code, signal, expected) => {
    expect(exitCodeOf(code, signal)).toBe(expected);
  });

  it('maps SIGTERM to 143 and SIGKILL to 137 on Linux, as a shell does', () => {
    expect([exitCodeOf(null, 'SIGTERM'), exitCodeOf(null, 'SIGKILL')]).toEqual([143, 137]);
  });
});

describe('startCommand', () => {
  const node = process.execPath;

  it("resolves to the child's exit code", async () => {
    await expect(startCommand([node, '-e', 'process.exit(7)']).done).resolves.toEqual({ exitCode: 7 });
    await expect(startCommand([node, '-e', '']).done).resolves.toEqual({ exitCode: 0 });
  });

  it('resolves to 128 + the signal number when the child is killed', async () => {
    let child!: ChildProcess;
    // Its stdout piped rather than inherited, so that it can say it is up.
    const running = startCommand([node, '-e', 'process.stdout.write("up"); setTimeout(() => {}, 60000)'], (command, args, options) =>
      (child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'inherit'] })),
    );
    await once(child.stdout as Readable, 'data');
    running.kill('SIGTERM');
    await expect(running.done).resolves.toEqual({ exitCode: 143, signal: 'SIGTERM' });
  });

  it('resolves to 127 with the reason when the command cannot be started', async () => {
    const outcome = await startCommand(['/nonexistent/polycrate-for-runtrail-tests', 'run']).done;
    expect(outcome.exitCode).toBe(SPAWN_FAILED_EXIT_CODE);
    expect(outcome.exitCode).toBe(127);
    expect(outcome.spawnError).toMatch(/ENOENT/);
  });

  it('passes each word as one argument, without a shell', async () => {
    const running = startCommand([node, '-e', 'process.exit(process.argv[1] === "x;exit 5" && process.argv.length === 2 ? 0 : 9)', 'x;exit 5']);
    await expect(running.done).resolves.toEqual({ exitCode: 0 });
  });
});

describe('displayCommand', () => {
  it('shows plain words as they are and quotes the others', () => {
    expect(displayCommand(['polycrate', 'run', 'nginx', 'deploy'])).toBe('polycrate run nginx deploy');
    expect(displayCommand(['/usr/bin/node', 'a b', '', 'x;y'])).toBe('/usr/bin/node "a b" "" "x;y"');
  });
});
