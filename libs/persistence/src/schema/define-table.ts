import canonicalize from 'canonicalize';
import { EntitySchema, type EntitySchemaColumnOptions, type EntitySchemaIndexOptions } from 'typeorm';

type PgType = 'text' | 'uuid' | 'bigint' | 'integer' | 'boolean' | 'jsonb' | 'timestamptz' | 'bytea';

interface ColumnOptions {
  nullable: boolean;
  primary: boolean;
  /** The SQL name; the field name in snake_case unless given. */
  name?: string;
}

/**
 * One column: its Postgres type and how a value travels. `decode` turns what `pg`
 * returns into the row's value, `encode` turns the row's value into what a bound array
 * element must be (JSON text for jsonb, for instance).
 */
export class Column<T> {
  constructor(
    readonly pgType: PgType,
    private readonly decoder: (raw: unknown) => T,
    private readonly encoder: (value: T) => unknown,
    readonly options: ColumnOptions = { nullable: false, primary: false },
  ) {}

  decode(raw: unknown): T {
    return this.decoder(raw);
  }

  encode(value: T): unknown {
    return this.encoder(value);
  }

  nullable(): Column<T | null> {
    return new Column<T | null>(
      this.pgType,
      (raw) => (raw === null || raw === undefined ? null : this.decoder(raw)),
      (value) => (value === null ? null : this.encoder(value)),
      { ...this.options, nullable: true },
    );
  }

  primary(): Column<T> {
    return new Column(this.pgType, this.decoder, this.encoder, { ...this.options, primary: true });
  }

  named(name: string): Column<T> {
    return new Column(this.pgType, this.decoder, this.encoder, { ...this.options, name });
  }
}

const same = <T>(value: T): T => value;

/**
 * The column kinds the tables use. Times travel as ISO-8601 strings with milliseconds
 * in UTC (what the API answers); `bigint` as a JS number (exact below 2^53, which stream
 * positions stay far below); `position` as a decimal string, for values the projector
 * compares as BigInt.
 */
export const col = {
  text: <T extends string = string>() => new Column<T>('text', (raw) => String(raw) as T, same),
  uuid: () => new Column<string>('uuid', String, same),
  integer: () => new Column<number>('integer', Number, same),
  bigint: () => new Column<number>('bigint', Number, same),
  position: () => new Column<string>('bigint', String, same),
  boolean: () => new Column<boolean>('boolean', Boolean, same),
  timestamp: () => new Column<string>('timestamptz', (raw) => (raw instanceof Date ? raw : new Date(String(raw))).toISOString(), same),
  json: <T>() => new Column<T>('jsonb', (raw) => raw as T, (value) => JSON.stringify(value)),
  bytes: () => new Column<Buffer>('bytea', (raw) => raw as Buffer, same),
};

/** What a table needs of a column, whatever the type of its values. */
interface AnyColumn {
  readonly pgType: PgType;
  readonly options: ColumnOptions;
  decode(raw: unknown): unknown;
  encode(value: never): unknown;
}

type Columns = Record<string, AnyColumn>;

/** A row of the table as the code sees it: one field per column, named. */
export type RowOf<C extends Columns> = { [K in keyof C]: ReturnType<C[K]['decode']> };

export interface IndexSpec<C extends Columns> {
  name: string;
  columns: (keyof C & string)[];
  unique?: boolean;
  /** The migration owns an index TypeORM cannot describe (INCLUDE columns, say). */
  ownedByMigration?: boolean;
  /** A partial index's condition (the drift test finds the index by name; it does not compare this). */
  where?: string;
}

export interface UpsertOptions<C extends Columns> {
  /** The unique key a row conflicts on; without it the insert has no ON CONFLICT. */
  conflict?: (keyof C & string)[];
  /** What a conflicting row changes: every other column, the ones named, or nothing. */
  update?: 'others' | (keyof C & string)[] | 'nothing';
  /** Only update when this holds (SQL over the table's and EXCLUDED's columns). */
  where?: string;
}

/** A statement over many rows: its text, and its parameters (one array per column) for the rows given. */
export interface BatchStatement<R> {
  readonly text: string;
  params(rows: readonly R[]): unknown[][];
  /** The same write, of rows first copied into a session's staging table (writes/write-rows.ts). */
  readonly staged: StagedStatement<R>;
}

/** A batch write in two steps: COPY the rows into a temporary table like the target, then insert from there. */
export interface StagedStatement<R> {
  /** Makes the session's staging table; emptied at every commit. */
  readonly create: string;
  readonly copy: string;
  copyText(rows: readonly R[]): string;
  readonly insert: string;
}

const snakeCase = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A table described once: its columns in order, by field name. From this come the
 * TypeORM entity (which the migration drift test compares with the migrations), the
 * batch writes (`INSERT … SELECT * FROM unnest(…)`, one bound array per column, so a
 * batch of any size is one statement with a fixed number of parameters), the select
 * list and the decoding of what Postgres returns. Writes bind values by field name,
 * never by position in a list of 25.
 */
export class Table<C extends Columns> {
  readonly fields: (keyof C & string)[];

  constructor(
    readonly name: string,
    readonly columns: C,
    private readonly indices: IndexSpec<C>[] = [],
  ) {
    this.fields = Object.keys(columns);
  }

  /** The SQL name of a field's column (fixed names from code, never input). */
  column(field: keyof C & string): string {
    return this.columns[field].options.name ?? snakeCase(field);
  }

  /** `tenant_id AS "tenantId", …`: rows come back keyed by field, ready for `decode`. */
  select(qualifier?: string): string {
    const prefix = qualifier ? `${qualifier}.` : '';
    return this.fields.map((f) => `${prefix}${this.column(f)} AS "${f}"`).join(', ');
  }

  decode(raw: Record<string, unknown>): RowOf<C> {
    const row: Record<string, unknown> = {};
    for (const f of this.fields) row[f] = this.columns[f].decode(raw[f]);
    return row as RowOf<C>;
  }

  /** Every column's SQL name, in order. */
  columnList(): string {
    return this.fields.map((f) => this.column(f)).join(', ');
  }

  /** `unnest($1::text[], …)`: a batch of whole rows as a relation, bound by `insert(…).params`. */
  unnest(): string {
    return `unnest(${this.fields.map((f, i) => `$${i + 1}::${this.columns[f].pgType}[]`).join(', ')})`;
  }

  /** A batch insert of whole rows, with an optional upsert rule. */
  insert(options: UpsertOptions<C> = {}): BatchStatement<RowOf<C>> {
    const conflict = this.onConflict(options);
    const stage = `pg_temp.stage_${this.name}`;
    return {
      text: `INSERT INTO ${this.name} (${this.columnList()}) SELECT * FROM ${this.unnest()}${conflict}`,
      params: (rows) => this.fields.map((f) => rows.map((r) => this.columns[f].encode(r[f] as never))),
      staged: {
        // Without the target's indexes and constraints: the insert below checks them.
        create: `CREATE TEMP TABLE IF NOT EXISTS stage_${this.name} (LIKE ${this.name}) ON COMMIT DELETE ROWS`,
        copy: `COPY ${stage} (${this.columnList()}) FROM STDIN`,
        copyText: (rows) => this.copyText(rows),
        insert: `INSERT INTO ${this.name} (${this.columnList()}) SELECT ${this.columnList()} FROM ${stage}${conflict}`,
      },
    };
  }

  /**
   * A batch write built around the batch as a relation: `build` gets the body of a common
   * table expression (`WITH b AS (…)`) that yields the table's columns, from the bound arrays
   * or from the staged rows. The staged rows are taken out of the
   * staging table as they are read, so a second write through it in the same transaction
   * reads only its own. For writes one INSERT cannot say (audit_events: projector-writes.ts).
   */
  write(build: (batch: string) => string): BatchStatement<RowOf<C>> {
    const stage = `pg_temp.stage_${this.name}`;
    return {
      text: build(`SELECT * FROM ${this.unnest()} AS u(${this.columnList()})`),
      params: (rows) => this.fields.map((f) => rows.map((r) => this.columns[f].encode(r[f] as never))),
      staged: {
        create: `CREATE TEMP TABLE IF NOT EXISTS stage_${this.name} (LIKE ${this.name}) ON COMMIT DELETE ROWS`,
        copy: `COPY ${stage} (${this.columnList()}) FROM STDIN`,
        copyText: (rows) => this.copyText(rows),
        insert: build(`DELETE FROM ${stage} RETURNING ${this.columnList()}`),
      },
    };
  }

  private onConflict(options: UpsertOptions<C>): string {
    if (!options.conflict) return '';
    const updated = options.update === 'nothing' ? [] : options.update === 'others' || options.update === undefined
      ? this.fields.filter((f) => !options.conflict?.includes(f))
      : options.update;
    let text = ` ON CONFLICT (${options.conflict.map((f) => this.column(f)).join(', ')})`;
    text += updated.length === 0
      ? ' DO NOTHING'
      : ` DO UPDATE SET ${updated.map((f) => `${this.column(f)} = EXCLUDED.${this.column(f)}`).join(', ')}`;
    if (options.where && updated.length > 0) text += ` WHERE ${options.where}`;
    return text;
  }

  /**
   * Rows in COPY's text format (one line per row, tab between columns, `\N` for null),
   * each value as `insert` would bind it: what a COPY stores equals what the insert would.
   */
  copyText(rows: readonly RowOf<C>[]): string {
    const columns = this.fields.map((f) => this.columns[f]);
    let text = '';
    for (const row of rows) {
      for (let i = 0; i < columns.length; i++) {
        const value = row[this.fields[i]] as never;
        text += (i === 0 ? '' : '\t') + (value === null || value === undefined ? '\\N' : copyValue(columns[i].pgType, columns[i].encode(value)));
      }
      text += '\n';
    }
    return text;
  }

  /**
   * The fields where a row as written (`expected`, e.g. a fold's output) and a row as read
   * back differ, compared as Postgres stores them (a time at millisecond precision, JSON by
   * value): an empty list when the stored row is what writing `expected` would have stored.
   */
  differingFields(expected: RowOf<C>, stored: RowOf<C>): (keyof C & string)[] {
    const stable = (f: keyof C & string, v: unknown): string => {
      if (v === null || v === undefined) return 'null';
      const type = this.columns[f].pgType;
      if (type === 'timestamptz') return new Date(v as string).toISOString();
      if (type === 'jsonb') return canonicalize(v) ?? 'null';
      if (type === 'bytea') return (v as Buffer).toString('hex');
      return String(v);
    };
    return this.fields.filter((f) => stable(f, expected[f]) !== stable(f, stored[f]));
  }

  /** The TypeORM description of the table, so the schema comparison sees the same columns. */
  entity(): EntitySchema {
    const columns: Record<string, EntitySchemaColumnOptions> = {};
    for (const f of this.fields) {
      const { pgType, options } = this.columns[f];
      columns[f] = {
        name: this.column(f),
        type: pgType,
        nullable: options.nullable,
        primary: options.primary,
        ...(pgType === 'timestamptz' ? { precision: 3 } : {}),
      };
    }
    const indices: EntitySchemaIndexOptions[] = this.indices.map((i) => ({
      name: i.name,
      columns: i.columns,
      unique: i.unique ?? false,
      ...(i.where ? { where: i.where } : {}),
      ...(i.ownedByMigration ? { synchronize: false } : {}),
    }));
    return new EntitySchema({ name: this.name, tableName: this.name, columns, indices });
  }
}

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_SPECIALS = /[\\\n\r\t]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One encoded value in COPY's text format: backslash, newline, carriage return and tab escaped. */
function copyValue(type: PgType, encoded: unknown): string {
  if (type === 'boolean') return encoded ? 't' : 'f';
  // bytea in hex form; its leading backslash is itself escaped in COPY text.
  if (type === 'bytea') return `\\\\x${(encoded as Buffer).toString('hex')}`;
  const text = String(encoded);
  return COPY_SPECIAL.test(text) ? text.replace(COPY_SPECIALS, (c) => COPY_ESCAPES[c]) : text;
}

export function defineTable<C extends Columns>(name: string, columns: C, indices: IndexSpec<C>[] = []): Table<C> {
  return new Table(name, columns, indices);
}

