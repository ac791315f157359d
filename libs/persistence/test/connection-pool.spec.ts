import { setTimeout as sleep } from 'node:timers/promises';
import { databaseUrl, dropDatabase, uniqueName } from '@runtrail/testing';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../src';

/** pg's own default: a pooled connection idle this long is closed. */
const PG_DEFAULT_IDLE_MS = 10_000;

describe('the connection pool', () => {
  const name = uniqueName('pool');
  let ds: DataSource;

  beforeAll(async () => {
    ds = await openDatabase({ url: databaseUrl(name), applicationName: 'runtrail-pool-test' });
  });

  afterAll(async () => {
    await ds.destroy();
    await dropDatabase(name);
  });

  it("keeps an idle connection past pg's 10 s default, so its backend's catalog stays loaded", async () => {
    const backend = async () => ((await ds.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[])[0].pid;
    const first = await backend();
    // The passing of idle time is what is tested: nothing to await but the clock.
    await sleep(PG_DEFAULT_IDLE_MS + 1000);
    expect(await backend()).toBe(first);
  }, 30_000);
});
