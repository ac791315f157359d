import { stringify } from 'csv-stringify/sync';

/**
 * The download formatting the query service used before Postgres formatted the lines
 * (apps/query/src/shared/downloads/download-chunks.ts up to ddc0946), kept word for word
 * as the reference the new export must equal byte for byte: records decoded by the page
 * reads, `JSON.stringify` per record, csv-stringify per row.
 */
// eslint-disable-next-line no-control-regex -- matching these control characters is the point
const CSV_QUOTED_MATCH = /[\r\n\v\f\u001c-\u001e\u0085\u2028\u2029]/;

function csvCell(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

function csvRow(cells: unknown[]): string {
  return stringify([cells], { record_delimiter: '\r\n', eof: true, quoted_match: CSV_QUOTED_MATCH });
}

export function referenceDownload<T extends object>(records: T[], format: 'json' | 'csv', fields: readonly (keyof T & string)[]): string {
  if (format === 'json') return `[${records.map((r, i) => `${i === 0 ? '\n' : ',\n'}${JSON.stringify(r)}`).join('')}\n]\n`;
  return csvRow([...fields]) + records.map((r) => csvRow(fields.map((f) => csvCell(r[f])))).join('');
}
