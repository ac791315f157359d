import { databaseUrl, dropDatabase, uniqueName } from '@runtrail/testing';
import type { DataSource } from 'typeorm';
import { DB_ROLES, TenantReader, actAsProjector, openDatabase } from '../src';

const TENANT_TABLES = ['audit_events', 'action_runs', 'action_run_reports', 'commands', 'schedules', 'integrity_logs', 'integrity_entries', 'integrity_nodes', 'integrity_checkpoints', 'erased_values', 'integrity_removals'];

/**
 * Row-level security is the second wall behind every repository's tenant condition:
 * these statements deliberately leave the condition out.
 */
describe('row-level security (real Postgres)', () => {
  const database = uniqueName('rls');
  let ds: DataSource;
  let reader: TenantReader;

  beforeAll(async () => {
    // One connection: whatever a transaction set would show up in the next statement.
    ds = await openDatabase({ url: databaseUrl(database), applicationName: 'rls-test', poolSize: 1 });
    reader = new TenantReader(ds);
    await ds.transaction(async (em) => {
      await actAsProjector(em);
      for (const [i, tenant] of ['acme', 'globex', 'globex'].entries()) {
        await em.query(
          `INSERT INTO audit_events (id, tenant_id, event_id, happened_at, action, version, entity_type, source_type,
             source_name, success, context, submitted_by, received_at, stream_seq)
           VALUES ($1, $2, gen_random_uuid(), now(), 'Create', '1', 'Project', 'User', 'alice', true, '{}', '{}', now(), $1)`,
          [i + 1, tenant],
        );
        await em.query(
          `INSERT INTO commands (tenant_id, id, run_id, runner_id, status, requested_by, requested_at, updated_at, expires_at, revision)
           VALUES ($1, gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'queued', '{}', now(), now(), now(), 1)`,
          [tenant],
        );
        await em.query(
          `INSERT INTO schedules (tenant_id, id, run_id, cron, timezone, reason, paused, created_at, created_by, deleted, revision)
           VALUES ($1, gen_random_uuid(), gen_random_uuid(), '0 3 * * 1', 'UTC', 'drill', false, now(), '{}', false, 1)`,
          [tenant],
        );
      }
    });
  });

  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(database);
  });

  it('returns only the bound tenant to a query that forgot its tenant condition', async () => {
    const rows = await reader.query<{ tenant_id: string }>('acme', 'SELECT tenant_id FROM audit_events');
    expect(rows).toEqual([{ tenant_id: 'acme' }]);
    const commands = await reader.query<{ tenant_id: string }>('globex', 'SELECT tenant_id FROM commands');
    expect(commands).toEqual([{ tenant_id: 'globex' }, { tenant_id: 'globex' }]);
    const schedules = await reader.query<{ tenant_id: string }>('acme', 'SELECT tenant_id FROM schedules');
    expect(schedules).toEqual([{ tenant_id: 'acme' }]);
    const counts = await reader.query<{ n: string }>('initech', 'SELECT count(*) AS n FROM audit_events');
    expect(counts).toEqual([{ n: '0' }]);
  });

  it('lets the root reader (tenant null) read every tenant', async () => {
    const rows = await reader.query<{ tenant_id: string }>(null, 'SELECT tenant_id FROM audit_events ORDER BY id');
    expect(rows.map((r) => r.tenant_id)).toEqual(['acme', 'globex', 'globex']);
  });

  it('shows the query role nothing when no tenant is bound', async () => {
    const rows = await ds.transaction(async (em) => {
      await em.query(`SET LOCAL ROLE ${DB_ROLES.query}`);
      return em.query('SELECT tenant_id FROM audit_events');
    });
    expect(rows).toEqual([]);
  });

  it('never carries the role or the tenant over to the next use of a pooled connection', async () => {
    await reader.query('acme', 'SELECT 1');
    await expect(reader.query('acme', 'SELECT no_such_column FROM audit_events')).rejects.toThrow();
    const [state] = await ds.query(`SELECT current_user AS role, current_setting('runtrail.tenant_id', true) AS tenant`);
    expect(state.role).not.toMatch(/^runtrail_/);
    expect(state.tenant ?? '').toBe('');
  });

  it('gives the readers no way to write', async () => {
    await expect(reader.query('acme', `UPDATE audit_events SET success = false`)).rejects.toThrow(/read-only/);
    const [{ n }] = await ds.query(`SELECT count(*) AS n FROM audit_events WHERE NOT success`);
    expect(n).toBe('0');
  });

  it('forces the policies on every tenant table, owner included', async () => {
    const rows: { relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }[] = await ds.query(
      `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY($1) ORDER BY relname`,
      [TENANT_TABLES],
    );
    expect(rows).toEqual([...TENANT_TABLES].sort().map((relname) => ({ relname, relrowsecurity: true, relforcerowsecurity: true })));
    const owners: { owner: string }[] = await ds.query(
      `SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname = ANY($1)`,
      [TENANT_TABLES],
    );
    expect(owners.map((o) => o.owner)).not.toContain(DB_ROLES.query);
    expect(owners.map((o) => o.owner)).not.toContain(DB_ROLES.projector);
  });

  it('lets the projector role write but not change the schema', async () => {
    await expect(
      ds.transaction(async (em) => {
        await actAsProjector(em);
        await em.query('ALTER TABLE audit_events ADD COLUMN x int');
      }),
    ).rejects.toThrow(/must be owner/);
  });
});
