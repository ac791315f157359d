import { stringify } from 'csv-stringify/sync';
import type { Download } from './download';

/**
 * csv-stringify quotes a cell that holds the delimiter, a quote or the whole record
 * delimiter (CRLF), but not a lone CR or LF: "a\nb" went out bare and split the record
 * in every reader. Quote every cell holding a line break of any kind (CR, LF, and the
 * ones some readers split on: VT, FF, FS/GS/RS, NEL, U+2028, U+2029); inside quotes they
 * are plain data (RFC 4180 §2.6).
 */
// eslint-disable-next-line no-control-regex -- matching these control characters is the point
export const CSV_QUOTED_MATCH = /[\r\n\v\f\u001c-\u001e\u0085\u2028\u2029]/;

function csvCell(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  // csv-stringify would write booleans as 1 and an empty cell.
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

function csvRow(cells: unknown[]): string {
  return stringify([cells], { record_delimiter: '\r\n', eof: true, quoted_match: CSV_QUOTED_MATCH });
}

/**
 * The file's text, chunk by chunk, pulled as the client reads: one JSON array with a
 * record per line, or RFC 4180 CSV with a header row of the field names and nested
 * objects as JSON in one cell. The first read of the records comes before the first
 * chunk: a database that is down then answers 503 with a JSON error instead of a file
 * cut short. A failure after that can only cut the file short.
 */
export async function* downloadChunks<T extends object>(d: Download<T>): AsyncGenerator<string> {
  const records = d.records[Symbol.asyncIterator]();
  let next = await records.next();
  if (d.format === 'json') {
    yield '[';
    for (let first = true; !next.done; first = false, next = await records.next()) {
      yield `${first ? '\n' : ',\n'}${JSON.stringify(next.value)}`;
    }
    yield '\n]\n';
  } else {
    yield csvRow([...d.fields]);
    for (; !next.done; next = await records.next()) yield csvRow(d.fields.map((f) => csvCell(next.value[f])));
  }
}
