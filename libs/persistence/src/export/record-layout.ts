import type { KeysetPosition, ValuesQuery } from '../sql/read-query';
import type { SqlWhere } from '../sql/sql-where';

/** The file formats of a download (docs/api.md#downloads). */
export type ExportFormat = 'json' | 'csv';

/**
 * How one field of a record is written. Scalars are formatted by Postgres, in the
 * statement itself. jsonb is written by Postgres only where its text is what
 * `JSON.stringify` of the parsed value gives: an object of strings (`context`) whose keys
 * JavaScript keeps in jsonb's order (none looks like an array index, which JavaScript
 * would move to the front), and a null. Any other jsonb (`changes`: numbers such as
 * `1.50`, which JavaScript prints as `1.5`) travels as jsonb and is written by
 * `JSON.stringify` of what pg parsed, in that row only.
 */
export type FieldWriter =
  | { kind: 'string' | 'number' | 'boolean' | 'time' | 'stringMap' | 'json'; sql: string }
  /** An object of scalar fields (workspace, block): never null. */
  | { kind: 'object'; fields: FieldLayout[] };

export type FieldLayout = readonly [name: string, writer: FieldWriter];

type ScalarKind = 'string' | 'number' | 'boolean' | 'time' | 'stringMap' | 'json';
const field = (kind: ScalarKind) => (sql: string): FieldWriter => ({ kind, sql });

/** Field writers by kind, over a column or an SQL expression from code (never input). */
export const write = {
  string: field('string'),
  number: field('number'),
  boolean: field('boolean'),
  time: field('time'),
  stringMap: field('stringMap'),
  json: field('json'),
  object: (...fields: FieldLayout[]): FieldWriter => ({ kind: 'object', fields }),
};

const NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** `toISOString()` of the instant: UTC, milliseconds, `Z` (the columns keep milliseconds). */
const isoTime = (sql: string) => `to_char(${sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The cells csv-stringify quoted (with the quoting rule the API has always used): a quote, a
 * comma, or any kind of line break (CR, LF, VT, FF, FS/GS/RS, NEL, U+2028, U+2029). An
 * advanced regular expression: Postgres reads the escapes itself.
 */
const CSV_QUOTED = String.raw`'[",\r\n\v\f\x1c-\x1e\u0085\u2028\u2029]'`;
// eslint-disable-next-line no-control-regex -- matching these control characters is the point
const CSV_QUOTED_JS = /[",\r\n\v\f\u001c-\u001e\u0085\u2028\u2029]/;

/** What JSON escapes in a string (to_json, JSON.stringify): a quote, a backslash, control characters (text holds no NUL). */
const JSON_ESCAPED = String.raw`'["\\\x01-\x1f]'`;

/** A cell of RFC 4180 CSV as the API writes it: quoted only when it must be, quotes doubled. */
export function csvText(s: string): string {
  return CSV_QUOTED_JS.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function jsonValueSql(w: FieldWriter): string {
  switch (w.kind) {
    case 'string':
      // `json_plain`: no string of the row (of its objects, in CSV) needs escaping, so quotes around it are its JSON.
      return `CASE WHEN json_plain THEN coalesce('"' || (${w.sql})::text || '"', 'null') ELSE coalesce(to_json(${w.sql})::text, 'null') END`;
    case 'number':
      return `coalesce((${w.sql})::text, 'null')`;
    case 'boolean':
      return `CASE ${w.sql} WHEN true THEN 'true' WHEN false THEN 'false' ELSE 'null' END`;
    case 'time':
      return `coalesce('"' || ${isoTime(w.sql)} || '"', 'null')`;
    case 'object':
      return `'{' || ${w.fields.map(([name, inner], i) => `'${i ? ',' : ''}"${name}":' || ${jsonValueSql(inner)}`).join(' || ')} || '}'`;
    case 'stringMap':
      // Compact JSON, strings escaped as to_json does (and JSON.stringify): json_strip_nulls re-writes it token by token.
      return `coalesce(json_strip_nulls((${w.sql})::json)::text, 'null')`;
    case 'json':
      // Only where the value is null (see sqlCanWrite).
      return `'null'`;
  }
}

function csvCellSql(w: FieldWriter): string {
  switch (w.kind) {
    case 'string': {
      // `csv_plain`: no string of the row needs quoting, so each is its own cell.
      const s = `(${w.sql})::text`;
      return `CASE WHEN NOT csv_plain AND ${s} ~ ${CSV_QUOTED} THEN '"' || replace(${s}, '"', '""') || '"' ELSE coalesce(${s}, '') END`;
    }
    case 'number':
      return `coalesce((${w.sql})::text, '')`;
    case 'boolean':
      return `CASE ${w.sql} WHEN true THEN 'true' WHEN false THEN 'false' ELSE '' END`;
    case 'time':
      return `coalesce(${isoTime(w.sql)}, '')`;
    case 'object':
      // An object's JSON always holds a quote (its keys), so its cell is always quoted.
      return `'"' || replace(${jsonValueSql(w)}, '"', '""') || '"'`;
    case 'stringMap':
      // Likewise, except the empty object.
      return `CASE WHEN ${w.sql} IS NULL THEN '' WHEN ${w.sql} = '{}' THEN '{}' ELSE '"' || replace(${jsonValueSql(w)}, '"', '""') || '"' END`;
    case 'json':
      return `''`;
  }
}

/**
 * When Postgres can write a field itself: always, except a jsonb value that is not null
 * (`json`) or that has a key looking like an array index (`stringMap`; in jsonb's text a
 * key is `"…": ` and a quote inside a string is escaped, so this finds every such key,
 * and at worst some other key, which only costs that row the slower path).
 */
function sqlCanWrite(w: FieldWriter): string | undefined {
  if (w.kind === 'json') return `${w.sql} IS NULL`;
  if (w.kind === 'stringMap') return `(${w.sql} IS NULL OR (${w.sql})::text !~ '"[0-9]+": ')`;
  return undefined;
}

/** A field's text in a line, from its jsonb value as pg parsed it. */
const jsonText: Record<ExportFormat, (value: unknown) => string> = {
  json: (value) => (value === null ? 'null' : JSON.stringify(value)),
  csv: (value) => (value === null ? '' : csvText(JSON.stringify(value))),
};

/**
 * One line of a download per record, built by Postgres (a JSON line is
 * `JSON.stringify(record)`; a CSV line is the record's cells in field order, ending in
 * CRLF). A row of `select` is the whole line in its first column, or, where a jsonb value
 * must be written by JavaScript, null there and the line in pieces after it: text, then a
 * jsonb value, then text, and so on. `lines` turns the rows into lines.
 */
export class RecordLayout {
  readonly names: string[];
  /** The columns a row of `select` fills. */
  readonly columnCount: number;
  private readonly jsFields: FieldLayout[];

  constructor(readonly fields: readonly FieldLayout[]) {
    this.names = fields.map(([name]) => name);
    for (const [name, w] of fields) {
      if (!NAME.test(name)) throw new Error(`unusable field name "${name}"`);
      if (w.kind === 'object') for (const [inner] of w.fields) if (!NAME.test(inner)) throw new Error(`unusable field name "${inner}"`);
    }
    this.jsFields = fields.filter(([, w]) => w.kind === 'json' || w.kind === 'stringMap');
    this.columnCount = this.jsFields.length ? 2 + 2 * this.jsFields.length : 1;
  }

  /**
   * The select list, over the table's columns and the two of `flags`.
   */
  select(format: ExportFormat): string {
    const cell = format === 'json' ? jsonValueSql : csvCellSql;
    const texts: string[][] = [[]];
    const values: string[] = [];
    this.fields.forEach(([name, w], i) => {
      const first = i === 0;
      const text = texts[texts.length - 1];
      if (format === 'json') text.push(`'${first ? '{' : ','}"${name}":'`);
      else if (!first) text.push(`','`);
      if (w.kind === 'json' || w.kind === 'stringMap') {
        values.push(w.sql);
        texts.push([]);
      } else {
        text.push(cell(w));
      }
    });
    texts[texts.length - 1].push(format === 'json' ? `'}'` : `E'\\r\\n'`);
    const concat = (parts: string[]) => (parts.length ? parts.join(' || ') : `''`);
    const wholeLine = concat(
      this.fields.flatMap(([name, w], i) => [
        ...(format === 'json' ? [`'${i === 0 ? '{' : ','}"${name}":'`] : i === 0 ? [] : [`','`]),
        cell(w),
      ]).concat(format === 'json' ? `'}'` : `E'\\r\\n'`),
    );
    if (!this.jsFields.length) return `${wholeLine} AS line`;
    const pieces = texts.flatMap((t, k) => (k < values.length ? [concat(t), values[k]] : [concat(t)]));
    return [`CASE WHEN whole THEN ${wholeLine} END AS line`, ...pieces.map((p, k) => `CASE WHEN NOT whole THEN ${p} END AS p${k}`)].join(', ');
  }

  /**
   * The columns `select` needs, computed once per row (in a subquery): `whole`, whether
   * Postgres writes the whole line (its jsonb fields included), and `json_plain` /
   * `csv_plain`, whether no string of the row needs escaping in JSON (in a CSV line: no
   * string inside an object cell) or quoting in CSV: one test over all of them, so that
   * the common row spends no call per field on it.
   */
  flags(format: ExportFormat): string {
    const text = (w: FieldWriter) => `(${(w as { sql: string }).sql})::text`;
    const top = this.fields.map(([, w]) => w).filter((w) => w.kind === 'string');
    const nested = this.fields.flatMap(([, w]) => (w.kind === 'object' ? w.fields.map(([, inner]) => inner) : [])).filter((w) => w.kind === 'string');
    const none = (ws: FieldWriter[], pattern: string) => (ws.length ? `concat(${ws.map(text).join(', ')}) !~ ${pattern}` : 'true');
    const whole = this.jsFields.map(([, w]) => sqlCanWrite(w)).join(' AND ') || 'true';
    const jsonPlain = none(format === 'json' ? [...top, ...nested] : nested, JSON_ESCAPED);
    const csvPlain = format === 'csv' ? none(top, CSV_QUOTED) : 'true';
    return `${whole} AS whole, ${jsonPlain} AS json_plain, ${csvPlain} AS csv_plain`;
  }

  /** The lines of rows whose first `columnCount` values are what `select` gave. */
  lines(format: ExportFormat, rows: unknown[][]): string[] {
    const write = jsonText[format];
    const end = this.columnCount;
    return rows.map((row) => {
      if (row[0] !== null) return row[0] as string;
      let out = row[1] as string;
      for (let i = 2; i < end; i += 2) out += write(row[i]) + (row[i + 1] as string);
      return out;
    });
  }

  /**
   * What a file is besides its lines: what comes before everything, before the first
   * line, between two lines, and after the last (JSON: one array, a record per line;
   * CSV: a header row of the field names).
   */
  framing(format: ExportFormat): ExportFraming {
    return format === 'json'
      ? { head: '[', first: '\n', between: ',\n', tail: '\n]\n' }
      : { head: `${this.names.map(csvText).join(',')}\r\n`, first: '', between: '', tail: '' };
  }
}

export interface ExportFraming {
  head: string;
  first: string;
  between: string;
  tail: string;
}

/** Records of a download as lines of the file, and the keyset position of the last (the next chunk starts after it). */
export interface ExportChunk {
  lines: string[];
  last?: KeysetPosition;
}

/** A chunk from rows of `layout.select(format)` followed by the sort time (as Postgres's text) and the id. */
export function exportChunkOf(layout: RecordLayout, format: ExportFormat, rows: unknown[][]): ExportChunk {
  const last = rows[rows.length - 1];
  const n = layout.columnCount;
  return { lines: layout.lines(format, rows), last: last && { t: last[n] as string, i: String(last[n + 1]) } };
}

/**
 * The next `limit` records of a download after a keyset position (already in `where`), as
 * lines of the file, formatted by Postgres. The inner select finds the rows on the same index
 * as the pages (newest first by `timeColumn`, then id); the outer one formats them.
 */
export function exportChunkQuery(layout: RecordLayout, table: string, timeColumn: string, where: SqlWhere, format: ExportFormat, limit: number): ValuesQuery<ExportChunk> {
  const order = `ORDER BY ${timeColumn} DESC, id DESC`;
  return {
    text: `SELECT ${layout.select(format)}, ${timeColumn}, id
      FROM (SELECT *, ${layout.flags(format)} FROM ${table} ${where} ${order} LIMIT ${where.bind(limit)}) r
      ${order}`,
    values: where.params,
    decodeRows: (rows) => exportChunkOf(layout, format, rows),
  };
}
