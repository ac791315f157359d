import { Client } from 'pg';

/**
 * Which query replica delivers the streams: the one holding a Postgres session advisory lock
 * on its own connection. Postgres lets go of it the moment that connection ends (a replica
 * killed, a network cut), so another replica takes over within a tick, with no lease time
 * to wait out (docs/streams.md#delivery). A replica keeps its one connection while it waits
 * for the lock, rather than opening one per try.
 */
export class DeliveryLease {
  private client?: Client;
  private holds = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly lockName: string,
  ) {}

  get held(): boolean {
    return this.holds;
  }

  /**
   * Takes the lock when it is free, or tells whether it is still held (its connection
   * answers). False when another replica holds it or Postgres is out of reach.
   */
  async hold(): Promise<boolean> {
    try {
      const client = await this.connection();
      if (this.holds) await client.query('SELECT 1');
      else this.holds = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [this.lockName])).rows[0]?.ok === true;
    } catch {
      await this.release();
    }
    return this.holds;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.holds = false;
    await client?.end().catch(() => undefined);
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'runtrail-query-streams' });
    // An ended connection has let go of the lock: the next hold() starts over.
    client.on('error', () => {
      if (this.client === client) void this.release();
    });
    await client.connect();
    this.client = client;
    return client;
  }
}
