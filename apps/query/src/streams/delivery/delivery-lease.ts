import { Client } from 'pg';

/**
 * Which query replica delivers the streams: the one holding a Postgres session advisory lock
 * on its own connection. Postgres lets go of it the moment that connection ends (a replica
 * killed, a network cut), so another replica takes over within a tick, with no lease time
 * to wait out (docs/streams.md#delivery).
 */
export class DeliveryLease {
  private client?: Client;

  constructor(
    private readonly databaseUrl: string,
    private readonly lockName: string,
  ) {}

  get held(): boolean {
    return this.client !== undefined;
  }

  /** Takes the lock when it is free; false when another replica holds it or Postgres is out of reach. */
  async tryAcquire(): Promise<boolean> {
    if (this.client) return true;
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'runtrail-query-streams' });
    client.on('error', () => this.drop(client));
    try {
      await client.connect();
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [this.lockName]);
      if (rows[0]?.ok) {
        this.client = client;
        return true;
      }
    } catch {
      // Postgres out of reach: not the deliverer this time.
    }
    await client.end().catch(() => undefined);
    return false;
  }

  /** Whether the lock is still ours: its connection answers. */
  async stillHeld(): Promise<boolean> {
    const client = this.client;
    if (!client) return false;
    try {
      await client.query('SELECT 1');
      return true;
    } catch {
      this.drop(client);
      return false;
    }
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private drop(client: Client): void {
    if (this.client === client) this.client = undefined;
    void client.end().catch(() => undefined);
  }
}
