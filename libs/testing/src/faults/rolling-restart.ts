import { SERVICE_NAMES } from '@runtrail/launcher';
import type { TestStack } from '../test-stack';
import { expectThat, pause } from './observe';

/**
 * A fault: a rolling restart, `rounds` times over. Each service in turn gets SIGTERM, must
 * drain and exit with 0 on its own (the launcher would SIGKILL it after 15 s, which fails
 * the scenario), is started again and waited for until ready, with `everyMs` of load
 * between restarts and after the last.
 */
export function restartRolling(rounds: number, everyMs: number): (stack: TestStack) => Promise<void> {
  return async (stack) => {
    for (let round = 0; round < rounds; round++) {
      for (const name of SERVICE_NAMES) {
        await pause(everyMs);
        const service = stack.stack.services[name];
        const code = await service.stop('SIGTERM');
        expectThat(code === 0, `${name} to drain and exit with 0 on SIGTERM (round ${round + 1}), got ${code}: ${service.output.slice(-1000)}`);
        service.start();
        await service.waitReady(60_000);
      }
    }
    await pause(everyMs);
  };
}
