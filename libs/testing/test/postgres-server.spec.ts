import { Client } from 'pg';
import { PostgresServer } from '../src/postgres-server';

/** The private Postgres the fault suite stops under a running stack: its data outlives a stop. */
describe('PostgresServer', () => {
  let pg: PostgresServer;

  beforeAll(async () => {
    pg = await PostgresServer.start();
  }, 60_000);

  afterAll(async () => {
    await pg?.destroy();
  });

  async function sql(text: string): Promise<Record<string, unknown>[]> {
    const client = new Client({ connectionString: pg.adminUrl, connectionTimeoutMillis: 2000 });
    await client.connect();
    try {
      return (await client.query(text)).rows;
    } finally {
      await client.end();
    }
  }

  it('refuses connections while stopped and keeps its data across a stop and a crash', async () => {
    await sql('CREATE TABLE kept (n int); INSERT INTO kept VALUES (1)');
    await pg.stop('fast');
    await expect(sql('SELECT 1')).rejects.toThrow();
    await pg.start();
    await sql('INSERT INTO kept VALUES (2)');
    await pg.stop('immediate');
    await pg.start();
    expect(await sql('SELECT n FROM kept ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }]);
  }, 60_000);
});
