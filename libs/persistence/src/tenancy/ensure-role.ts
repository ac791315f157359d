import type { QueryRunner } from 'typeorm';

/**
 * Creates a service role once per cluster (roles are cluster-wide) and lets the migrating
 * owner take it. Looked up first, so an owner without CREATEROLE migrates once an operator
 * made the role; the handler covers two databases migrating at the same moment. `role` is
 * a name from code, never input.
 */
export async function ensureRole(q: QueryRunner, role: string): Promise<void> {
  await q.query(`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
        CREATE ROLE ${role} NOLOGIN;
      END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
  // SET ROLE needs membership; a superuser has it implicitly, anyone else is granted it.
  await q.query(`
    DO $$ BEGIN
      IF NOT pg_has_role(current_user, '${role}', 'MEMBER') THEN
        EXECUTE format('GRANT ${role} TO %I', current_user);
      END IF;
    END $$`);
  await q.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
}
