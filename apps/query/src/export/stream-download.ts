import { once } from 'node:events';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import type { DownloadFormat } from '../paging/paging-params.dto';

/** Writes a chunk, waiting for the socket to drain so memory stays bounded. */
async function write(res: Response, chunk: string): Promise<void> {
  if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  if (res.destroyed) throw new Error('client went away');
}

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

/**
 * Streams records as a file: one JSON array, or RFC 4180 CSV with a header row of
 * the record's field names and nested objects as JSON in one cell.
 */
export async function streamDownload<T extends object>(
  res: Response,
  records: AsyncIterable<T>,
  format: DownloadFormat,
  baseName: string,
  fields: readonly (keyof T & string)[],
): Promise<void> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  res.status(200);
  res.set({
    'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    'Content-Disposition': `attachment; filename="${baseName}-${stamp}.${format}"`,
    'Cache-Control': 'no-store',
  });
  if (format === 'json') {
    await write(res, '[');
    let first = true;
    for await (const r of records) {
      await write(res, `${first ? '\n' : ',\n'}${JSON.stringify(r)}`);
      first = false;
    }
    await write(res, '\n]\n');
  } else {
    const csv = stringify({
      header: true,
      columns: [...fields],
      record_delimiter: '\r\n',
      eof: true,
      quoted_match: CSV_QUOTED_MATCH,
    });
    csv.pipe(res, { end: false });
    for await (const r of records) {
      const row = fields.map((f) => csvCell(r[f]));
      if (!csv.write(row)) await once(csv, 'drain');
      if (res.destroyed) throw new Error('client went away');
    }
    csv.end();
    await once(csv, 'end');
  }
  res.end();
}
