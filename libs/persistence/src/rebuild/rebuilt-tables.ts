import { TABLES } from '../schema';
import { integrityCheckpointsTable } from '../tables/integrity.tables';
import { DB_ROLES } from '../tenancy/db-roles';
import { SCHEMA_NAME } from '../database';
import { RUN_AGGREGATE_TABLES } from '../reads/run-aggregate-reads';
import { TIME_PARTITIONED_TABLES } from '../partitions/time-partitions';

/**
 * A rebuild (docs/reliability.md#rebuild) projects the stream into a schema of its own and
 * then moves its tables into `public`, the replaced ones into a schema kept beside it.
 * Every table is rebuilt but the signed checkpoints: they are not in the stream (the query
 * service signs them), so they stay, and the rebuilt log is checked against them. The run
 * aggregates, which only the migrations describe, move too: the triggers on `action_runs`
 * kept the rebuild's own copies while it projected.
 */
export const REBUILT_TABLES: readonly string[] = [
  ...TABLES.map((t) => t.name).filter((name) => name !== integrityCheckpointsTable.name),
  ...RUN_AGGREGATE_TABLES,
];

/** The live tables' schema. */
export const LIVE_SCHEMA = 'public';

/**
 * Every projector batch holds this lock shared for its transaction, keyed by the schema
 * it writes; a swap holds it exclusively, so no batch is half written when the tables
 * move, and the next one resolves its table names after the move.
 */
const PROJECTION_LOCK = 7_242_031;
export const HOLD_PROJECTION_SQL = `SELECT pg_advisory_xact_lock_shared(${PROJECTION_LOCK}, hashtext(current_schema()))`;
export const PAUSE_PROJECTION_SQL = `SELECT pg_advisory_xact_lock(${PROJECTION_LOCK}, hashtext('${LIVE_SCHEMA}'))`;

/** Quotes a schema name from code, after checking it. */
export function schemaIdentifier(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`unusable schema name "${schema}"`);
  return `"${schema}"`;
}

/** The statements that make an empty schema the roles can work in (its tables come from the migrations). */
export function createSchemaSql(schema: string): string[] {
  const s = schemaIdentifier(schema);
  return [`CREATE SCHEMA ${s}`, `GRANT USAGE ON SCHEMA ${s} TO ${Object.values(DB_ROLES).join(', ')}`];
}

/**
 * Moves the rebuilt tables into `public` and the replaced ones aside, in the caller's
 * transaction (their indexes, policies and grants move with them). Each move waits for the
 * queries reading that table at that moment, and the ones after wait for the commit.
 * `SET SCHEMA` moves a partitioned table without its partitions, which are tables of their
 * own (ADR 0026): they follow it, the replaced ones out first, since the rebuilt ones have
 * the same names.
 */
export function swapTablesSql(rebuilt: string, replaced: string): string[] {
  const from = schemaIdentifier(rebuilt);
  const aside = schemaIdentifier(replaced);
  const move = (table: string, source: string, target: string) => {
    const sql = [`ALTER TABLE ${source}."${table}" SET SCHEMA ${target}`];
    if ((TIME_PARTITIONED_TABLES as readonly string[]).includes(table)) sql.push(movePartitionsSql(table, source, target));
    return sql;
  };
  return [`CREATE SCHEMA ${aside}`, ...REBUILT_TABLES.flatMap((t) => [...move(t, LIVE_SCHEMA, aside), ...move(t, from, LIVE_SCHEMA)])];
}

/** Moves the partitions of `target.table` (moved there already) that are still in `source`. */
function movePartitionsSql(table: string, source: string, target: string): string {
  const unquote = (s: string) => s.replace(/"/g, '');
  return `DO $$ DECLARE p record; BEGIN
    FOR p IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = '${target}."${table}"'::regclass AND c.relnamespace = '${source}'::regnamespace LOOP
      EXECUTE format('ALTER TABLE %I.%I SET SCHEMA %I', '${unquote(source)}', p.relname, '${unquote(target)}');
    END LOOP;
  END $$`;
}
