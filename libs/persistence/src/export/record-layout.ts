import type { KeysetPosition, ValuesQuery } from '../sql/read-query';
import type { SqlWhere } from '../sql/sql-where';

/** The file formats of a download (docs/api.md#downloads). */
export type ExportFormat = 'json' | 'csv';

/**
 * How one field of a record is written. Scalars are formatted by Postgres, in the
 * statement itself. jsonb (`json`) is written by Postgres too, compacted, wherever its
 * text is what `JSON.stringify` of the parsed value gives (JS_REWRITES); any other value
 * (a number such as `1.50`, which JavaScript prints as `1.5`; a key JavaScript moves to
 * the front) travels as jsonb and is written by `JSON.stringify` of what pg parsed, in
 * that row only.
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
  /** A jsonb object of strings (`context`): no number, no null, so only its keys can need JavaScript. */
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

/**
 * jsonb texts that `JSON.stringify(JSON.parse(text))` writes otherwise than as the same
 * tokens without their spaces: a key JavaScript moves to the front (an array index), and
 * numbers it spells otherwise: a trailing zero after the point (`1.50`), a magnitude below
 * 1e-6 or of 22 digits and more (exponents in JavaScript; numeric's text never has one),
 * and 16 digits and more (beyond what a double keeps). Strings are escaped alike by both.
 * In jsonb's text a key is `"…": `, so this finds every such value, and at worst some
 * string too, which only costs that row the slower path.
 */
const INDEX_KEY_PATTERN = '"[0-9]+": ';
const JS_REWRITES = String.raw`'${INDEX_KEY_PATTERN}|[0-9.]{16}|0\.000000|\.[0-9]*0[],}]'`;
/** Of those, the keys alone (all a map of strings can hold). */
const INDEX_KEY = `'${INDEX_KEY_PATTERN}'`;

/**
 * jsonb's text without the space after each `,` and `:` between tokens: a string token is
 * matched whole and kept, so a `, ` inside one stays. json_strip_nulls re-writes a text
 * compactly too, and about 30 times faster, but drops the fields that are null: it serves
 * the texts without `: null`.
 */
const TOKEN_OR_SPACED_SEPARATOR = String.raw`'("(?:[^"\\]|\\.)*")|([,:]) '`;
const compactJson = (text: string) =>
  `CASE WHEN position(': null' IN ${text}) > 0 THEN regexp_replace(${text}, ${TOKEN_OR_SPACED_SEPARATOR}, '\\1\\2', 'g') ELSE json_strip_nulls(${text}::json)::text END`;

const SCALARS: FieldWriter['kind'][] = ['string', 'number', 'boolean', 'time'];
type JsonWriter = FieldWriter & { kind: 'stringMap' | 'json' };
const isJson = (w: FieldWriter): w is JsonWriter => w.kind === 'json' || w.kind === 'stringMap';

/**
 * The same for an object of strings, by plain replacement (0.3 µs a `context` against
 * json_strip_nulls' 0.9 µs): each `": "` and `", "` in its text is between two tokens,
 * since a quote inside a string is always escaped, never preceded by a space.
 */
const compactStringMap = (text: string) => `replace(replace(${text}, '": "', '":"'), '", "', '","')`;

/** A cell of RFC 4180 CSV as the API writes it: quoted only when it must be, quotes doubled. */
export function csvText(s: string): string {
  return CSV_QUOTED_JS.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A field's text in a line, from its jsonb value as pg parsed it. */
const jsonText: Record<ExportFormat, (value: unknown) => string> = {
  json: (value) => (value === null ? 'null' : JSON.stringify(value)),
  csv: (value) => (value === null ? '' : csvText(JSON.stringify(value))),
};

/**
 * One line of a download per record, built by Postgres (a JSON line is
 * `JSON.stringify(record)`; a CSV line is the record's cells in field order, ending in
 * CRLF), and a chunk's lines joined by Postgres into one text, so that Node handles a few
 * large strings per chunk rather than a row per record. A record with a jsonb value
 * Postgres cannot write comes alone, in pieces: text, then a jsonb value, then text, and
 * so on; `chunkOf` writes it and joins the texts.
 *
 * The statement (`chunkQuery`) nests three selects, innermost first:
 * 1. the chunk's rows on the pages' index, and per row: whether Postgres writes all of it
 *    (`whole`), each jsonb field compacted (`js<k>`), and whether no string needs escaping
 *    (`json_plain`) or quoting (`csv_plain`), each computed once;
 * 2. the line (or its pieces), numbered in order (`rn`), with `grp` counting the records
 *    in pieces so far, so that the whole lines between two of them share a group;
 * 3. one row per group: its lines joined, or the pieces; the chunk's last position rides
 *    on the row of its last record when the chunk is full.
 */
export class RecordLayout {
  readonly names: string[];
  /** The jsonb fields; the k-th is `js<k>` in the statement. */
  private readonly jsonFields: JsonWriter[];

  constructor(readonly fields: readonly FieldLayout[]) {
    this.names = fields.map(([name]) => name);
    for (const [name, w] of fields) {
      if (!NAME.test(name)) throw new Error(`unusable field name "${name}"`);
      if (w.kind === 'object') for (const [inner, iw] of w.fields) if (!NAME.test(inner) || !SCALARS.includes(iw.kind)) throw new Error(`unusable field "${inner}"`);
    }
    this.jsonFields = fields.map(([, w]) => w).filter(isJson);
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

  /**
   * The next `limit` records after a keyset position (already in `where`): the rows on the
   * same index as the pages (newest first by `timeColumn`, then id), formatted.
   */
  chunkQuery(table: string, timeColumn: string, where: SqlWhere, format: ExportFormat, limit: number): ValuesQuery<ExportChunk> {
    const order = `ORDER BY ${timeColumn} DESC, id DESC`;
    const rows = `SELECT *, ${this.flags(format)} FROM ${table} ${where} ${order} LIMIT ${where.bind(limit)}`;
    const pieceCount = this.jsonFields.length ? 1 + 2 * this.jsonFields.length : 0;
    const pieces = Array.from({ length: pieceCount }, (_, k) => `, (array_agg(p${k}) FILTER (WHERE NOT whole))[1]`).join('');
    const lastRecord = where.bind(limit);
    return {
      text: `SELECT CASE WHEN whole THEN string_agg(line, ${where.bind(this.framing(format).between)} ORDER BY rn) END${pieces},
          count(*)::int, (array_agg(${timeColumn}) FILTER (WHERE rn = ${lastRecord}))[1], (array_agg(id) FILTER (WHERE rn = ${lastRecord}))[1]
        FROM (SELECT ${this.lineSelect(format)}, ${timeColumn}, id,
            count(*) FILTER (WHERE NOT whole) OVER w AS grp, row_number() OVER w AS rn
          FROM (${rows}) r WINDOW w AS (${order})) r
        GROUP BY grp, whole ORDER BY grp, whole`,
      values: where.params,
      decodeRows: (rows) => this.chunkOf(format, rows, pieceCount),
    };
  }

  private compacted(w: JsonWriter): string {
    return `js${this.jsonFields.indexOf(w)}`;
  }

  private jsonValueSql(w: FieldWriter): string {
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
        return `'{' || ${w.fields.map(([name, inner], i) => `'${i ? ',' : ''}"${name}":' || ${this.jsonValueSql(inner)}`).join(' || ')} || '}'`;
      case 'stringMap':
      case 'json':
        return `coalesce(${this.compacted(w as JsonWriter)}, 'null')`;
    }
  }

  private csvCellSql(w: FieldWriter): string {
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
        return `'"' || replace(${this.jsonValueSql(w)}, '"', '""') || '"'`;
      case 'stringMap':
      case 'json': {
        const js = this.compacted(w as JsonWriter);
        return `CASE WHEN ${js} ~ ${CSV_QUOTED} THEN '"' || replace(${js}, '"', '""') || '"' ELSE coalesce(${js}, '') END`;
      }
    }
  }

  /**
   * The columns the rows get in the first select: `whole`, `js<k>`, and `json_plain` /
   * `csv_plain`, whether no string of the row needs escaping in JSON (in a CSV line: no
   * string inside an object cell) or quoting in CSV: one test over all of them, so that the
   * common row spends no call per field on it.
   */
  private flags(format: ExportFormat): string {
    const text = (w: FieldWriter) => `(${(w as { sql: string }).sql})::text`;
    const top = this.fields.map(([, w]) => w).filter((w) => w.kind === 'string');
    const nested = this.fields.flatMap(([, w]) => (w.kind === 'object' ? w.fields.map(([, inner]) => inner) : [])).filter((w) => w.kind === 'string');
    const none = (ws: FieldWriter[], pattern: string) => (ws.length ? `concat(${ws.map(text).join(', ')}) !~ ${pattern}` : 'true');
    // A map of strings holds no number and no null: only a key can need JavaScript.
    const exact = (w: JsonWriter) => `(${w.sql} IS NULL OR ${text(w)} !~ ${w.kind === 'stringMap' ? INDEX_KEY : JS_REWRITES})`;
    const compact = (w: JsonWriter) => (w.kind === 'stringMap' ? compactStringMap(text(w)) : compactJson(text(w)));
    const whole = this.jsonFields.map(exact).join(' AND ') || 'true';
    const compacted = this.jsonFields.map((w) => `, ${compact(w)} AS ${this.compacted(w)}`).join('');
    const jsonPlain = none(format === 'json' ? [...top, ...nested] : nested, JSON_ESCAPED);
    const csvPlain = format === 'csv' ? none(top, CSV_QUOTED) : 'true';
    return `${whole} AS whole${compacted}, ${jsonPlain} AS json_plain, ${csvPlain} AS csv_plain`;
  }

  /**
   * `whole`, then the line where Postgres writes all of it, else null there and the pieces
   * after it (`p<k>`), null in whole rows.
   */
  private lineSelect(format: ExportFormat): string {
    const cell = (w: FieldWriter) => (format === 'json' ? this.jsonValueSql(w) : this.csvCellSql(w));
    const texts: string[][] = [[]];
    const values: string[] = [];
    const line: string[] = [];
    this.fields.forEach(([name, w], i) => {
      const separator = format === 'json' ? [`'${i === 0 ? '{' : ','}"${name}":'`] : i === 0 ? [] : [`','`];
      texts[texts.length - 1].push(...separator);
      line.push(...separator, cell(w));
      if (isJson(w)) {
        values.push(w.sql);
        texts.push([]);
      } else {
        texts[texts.length - 1].push(cell(w));
      }
    });
    const end = format === 'json' ? `'}'` : `E'\\r\\n'`;
    texts[texts.length - 1].push(end);
    line.push(end);
    const concat = (parts: string[]) => (parts.length ? parts.join(' || ') : `''`);
    const pieces = texts.flatMap((t, k) => (k < values.length ? [concat(t), values[k]] : [concat(t)]));
    return [`whole`, `CASE WHEN whole THEN ${concat(line)} END AS line`, ...pieces.map((p, k) => `CASE WHEN NOT whole THEN ${p} END AS p${k}`)].join(', ');
  }

  /**
   * A chunk from the rows of `chunkQuery`: each row is a group's lines joined, or a record
   * in `pieceCount` pieces (text, jsonb, text, …), then its record count and, on the row
   * of a full chunk's last record, that record's sort time (as Postgres's text) and id.
   */
  private chunkOf(format: ExportFormat, rows: unknown[][], pieceCount: number): ExportChunk {
    const { between } = this.framing(format);
    const write = jsonText[format];
    let records = 0;
    const texts = rows.map((row) => {
      records += row[1 + pieceCount] as number;
      if (row[0] !== null) return row[0] as string;
      let out = row[1] as string;
      for (let i = 2; i <= pieceCount; i += 2) out += write(row[i]) + (row[i + 1] as string);
      return out;
    });
    const last = rows[rows.length - 1];
    const lastTime = last?.[2 + pieceCount];
    return { text: texts.join(between), records, last: lastTime == null ? undefined : { t: lastTime as string, i: String(last[3 + pieceCount]) } };
  }
}

export interface ExportFraming {
  head: string;
  first: string;
  between: string;
  tail: string;
}

/**
 * A chunk of a download: its records' lines, joined by the framing's `between`, how many
 * they are, and, when the chunk is full, the keyset position of the last (the next chunk
 * starts after it).
 */
export interface ExportChunk {
  text: string;
  records: number;
  last?: KeysetPosition;
}

/**
 * Where the next `count` chunks of `every` records after a keyset position (already in
 * `where`) end, if they are full: the position of every `every`-th record, in order. A walk
 * of the keys alone (an index-only scan of `(tenant_id, time, id)` for an unfiltered set,
 * about 0.25 µs a key), so that the chunks can be read side by side (docs/adr/0023).
 */
export function exportChunkEndsQuery(table: string, timeColumn: string, where: SqlWhere, every: number, count: number): ValuesQuery<KeysetPosition[]> {
  const order = `ORDER BY ${timeColumn} DESC, id DESC`;
  return {
    text: `SELECT t, id FROM (
        SELECT ${timeColumn} AS t, id, row_number() OVER (${order}) AS rn FROM ${table} ${where} ${order} LIMIT ${where.bind(every * count)}
      ) k WHERE rn % ${where.bind(every)} = 0 ORDER BY rn`,
    values: where.params,
    decodeRows: (rows) => rows.map(([t, id]) => ({ t: t as string, i: String(id) })),
  };
}
