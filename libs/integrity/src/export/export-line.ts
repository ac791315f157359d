import { frontierNodes, parseVerifierKey, type Frontier } from '@runtrail/merkle';
import { ENTRY_KINDS, type EntryKind } from '../entry/origin';
import { EXPORT_VERSION, ExportFormatError, MAX_EXPORT_LINE_BYTES, type ExportEntry, type ExportHeader, type ExportLine } from './export-format';

/**
 * One line of an export file, both ways: `parseExportLine` reads it strictly (every field
 * present with its type, none unknown, hashes 32 bytes in canonical standard base64), the
 * writers produce it with its fields in the documented order.
 */

type LineType = ExportLine['type'];

/** Each line type's fields, in the order the writers emit them. */
const FIELDS: Record<LineType, readonly string[]> = {
  header: ['type', 'version', 'origin', 'verifierKey'],
  prefix: ['type', 'size', 'hashes'],
  entry: ['type', 'index', 'entryId', 'kind', 'bytes', 'leafHash'],
  checkpoint: ['type', 'note'],
};

const HASH_BYTES = 32;
/** Origins and entry ids are short names; a longer one is not a line of ours. */
const MAX_NAME_LENGTH = 256;
const KEY_NAME = /^[^\s+]+$/u;
// eslint-disable-next-line no-control-regex
const PRINTABLE = /^[^\u0000-\u001f\u007f]+$/u;

type Json = Record<string, unknown>;

function fail(message: string): never {
  throw new ExportFormatError(message);
}

function isLineType(value: unknown): value is LineType {
  return typeof value === 'string' && Object.hasOwn(FIELDS, value);
}

/** Decodes standard base64, refusing anything that does not encode back to the same text (URL-safe letters, spaces, stray bits). */
function base64(value: unknown, what: string): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'base64');
    if (bytes.toString('base64') === value) return bytes;
  }
  return fail(`${what} must be standard base64`);
}

function hash(value: unknown, what: string): Buffer {
  const bytes = base64(value, what);
  return bytes.length === HASH_BYTES ? bytes : fail(`${what} must be a ${HASH_BYTES}-byte hash`);
}

function count(value: unknown, what: string): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : fail(`${what} must be a whole number ≥ 0`);
}

function name(value: unknown, what: string, pattern: RegExp): string {
  return typeof value === 'string' && value.length <= MAX_NAME_LENGTH && pattern.test(value) ? value : fail(`${what} is not a valid name`);
}

function header(json: Json): ExportLine {
  const origin = name(json['origin'], 'header origin', KEY_NAME);
  const verifierKey = json['verifierKey'];
  if (typeof verifierKey !== 'string') fail('header verifierKey must be a string');
  try {
    parseVerifierKey(verifierKey);
  } catch (error) {
    fail(`header verifierKey: ${(error as Error).message}`);
  }
  return { type: 'header', version: EXPORT_VERSION, origin, verifierKey };
}

function prefix(json: Json): ExportLine {
  const size = count(json['size'], 'prefix size');
  const hashes = json['hashes'];
  // The compact range of [0, size) has one subtree per one bit of size.
  const expected = frontierNodes(size).length;
  if (!Array.isArray(hashes) || hashes.length !== expected) fail(`prefix hashes must be an array of ${expected} hashes for size ${size}`);
  return { type: 'prefix', size, hashes: hashes.map((h, i) => hash(h, `prefix hashes[${i}]`)) };
}

function entry(json: Json): ExportLine {
  const entryId = name(json['entryId'], 'entry entryId', PRINTABLE);
  const kind = json['kind'];
  if (!(ENTRY_KINDS as readonly unknown[]).includes(kind)) fail(`entry kind must be one of ${ENTRY_KINDS.join(', ')}`);
  const fields = { entryId, kind: kind as EntryKind };
  if (json['index'] === null) {
    // A row the log does not have: its bytes, and nothing of the log's.
    if (json['leafHash'] !== null) fail('an entry without an index (a row the log does not have) must have leafHash null');
    return { type: 'entry', index: null, ...fields, bytes: base64(json['bytes'], 'entry bytes'), leafHash: null };
  }
  const index = count(json['index'], 'entry index');
  const bytes = json['bytes'] === null ? null : base64(json['bytes'], 'entry bytes');
  return { type: 'entry', index, ...fields, bytes, leafHash: hash(json['leafHash'], 'entry leafHash') };
}

function checkpoint(json: Json): ExportLine {
  const note = json['note'];
  return typeof note === 'string' && note.length > 0 ? { type: 'checkpoint', note } : fail('checkpoint note must be a non-empty string');
}

const PARSERS: Record<LineType, (json: Json) => ExportLine> = { header, prefix, entry, checkpoint };

/** Reads one line (without its newline). Throws an ExportFormatError saying what is wrong. */
export function parseExportLine(text: string): ExportLine {
  if (text.length > MAX_EXPORT_LINE_BYTES || Buffer.byteLength(text) > MAX_EXPORT_LINE_BYTES) {
    fail(`line longer than ${MAX_EXPORT_LINE_BYTES} bytes`);
  }
  if (text.trim() === '') fail('empty line');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(`not JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('not a JSON object');
  const object = json as Json;
  const type = object['type'];
  if (!isLineType(type)) fail(`unknown line type ${JSON.stringify(type) ?? 'undefined'}`);
  // A later version may mean anything; say so rather than misread it.
  if (type === 'header' && object['version'] !== EXPORT_VERSION) {
    fail(`unsupported export version ${JSON.stringify(object['version']) ?? 'undefined'} (this reader knows version ${EXPORT_VERSION})`);
  }
  const fields = FIELDS[type];
  const missing = fields.find((f) => !Object.hasOwn(object, f));
  if (missing !== undefined) fail(`${type} line lacks ${missing}`);
  const unknown = Object.keys(object).find((f) => !fields.includes(f));
  if (unknown !== undefined) fail(`${type} line has an unknown field ${JSON.stringify(unknown)}`);
  return PARSERS[type](object);
}

const line = (object: Json): string => `${JSON.stringify(object)}\n`;
const b64 = (bytes: Buffer | null): string | null => (bytes === null ? null : bytes.toString('base64'));

/** The first line of an export. */
export function headerLine(h: ExportHeader): string {
  return line({ type: 'header', version: EXPORT_VERSION, origin: h.origin, verifierKey: h.verifierKey });
}

/** The second line: the frontier of the leaves before the first exported entry (`EMPTY_FRONTIER` from 0). */
export function prefixLine(p: Frontier): string {
  return line({ type: 'prefix', size: p.size, hashes: p.hashes.map((h) => h.toString('base64')) });
}

export function entryLine(e: ExportEntry): string {
  return line({ type: 'entry', index: e.index, entryId: e.entryId, kind: e.kind, bytes: b64(e.bytes), leafHash: b64(e.leafHash) });
}

export function checkpointLine(note: string): string {
  return line({ type: 'checkpoint', note });
}
