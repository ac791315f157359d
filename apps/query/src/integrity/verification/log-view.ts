import { Injectable } from '@nestjs/common';
import {
  eventEntryBytes,
  reportEntryBytes,
  reportEntryId,
  type EntryKind,
  type ErasedDigests,
  type ExportEntry,
  type PersonalDigests,
} from '@runtrail/integrity';
import { PersonalDataVault } from '@runtrail/messaging';
import {
  TenantReader,
  auditRowsIn,
  entriesLoggedFrom,
  erasedValuesIn,
  eventEntryOf,
  logEntriesFrom,
  reportEntryOf,
  reportRowsIn,
  type ActionRunReportRow,
  type AuditEventRow,
  type IntegrityEntryRow,
} from '@runtrail/persistence';

/** One exported entry, with the row it was rebuilt from (for the run checks). */
export interface ViewedEntry {
  entry: ExportEntry;
  position: string;
  report?: ActionRunReportRow;
}

/** Log entries read per window. */
const WINDOW_ENTRIES = 1000;

/**
 * A stretch `[start, end)` of a tenant's log as readers would rebuild it
 * (docs/integrity.md#verification): each entry's canonical bytes made again from the row
 * the query API answers from, beside the leaf hash the log stored, in stream position
 * order; an entry whose row is gone has no bytes, a row no entry made has no index. What
 * `GET /v1/integrity/verify` checks and `GET /v1/integrity/export` writes.
 */
@Injectable()
export class LogView {
  constructor(
    private readonly reader: TenantReader,
    private readonly vault: PersonalDataVault,
  ) {}

  /** `toEnd`: `end` is the log's size, so rows after the last entry belong to this stretch too. */
  async *entries(tenantId: string, start: number, end: number, toEnd: boolean): AsyncGenerator<ViewedEntry> {
    const digests = this.vault.digests.of(tenantId);
    let after = start === 0 ? '0' : await this.positionOf(tenantId, start - 1);
    let from = start;
    for (;;) {
      const log = from < end ? await this.reader.read(tenantId, logEntriesFrom(tenantId, from, end, WINDOW_ENTRIES)) : [];
      const last = from + log.length >= end;
      const maxPosition = log.reduce((m, e) => (BigInt(e.position) > BigInt(m) ? e.position : m), after);
      const until = last && toEnd ? null : maxPosition;
      const viewed = await this.window(tenantId, log, after, until, digests);
      yield* until === null ? await this.withoutLaterEntries(tenantId, viewed, end) : viewed;
      if (last) return;
      from += log.length;
      after = maxPosition;
    }
  }

  private async positionOf(tenantId: string, index: number): Promise<string> {
    const [entry] = await this.reader.read(tenantId, logEntriesFrom(tenantId, index, index + 1, 1));
    return entry?.position ?? '0';
  }

  /**
   * Rows after the stretch's last entry whose entries the log holds by now, at `end` or later:
   * the projector committed them after the stretch was read. They are the next stretch's,
   * not rows the log lacks.
   */
  private async withoutLaterEntries(tenantId: string, viewed: ViewedEntry[], end: number): Promise<ViewedEntry[]> {
    const unlogged = viewed.filter((v) => v.entry.index === null).map((v) => v.entry.entryId);
    if (unlogged.length === 0) return viewed;
    const later = new Set(await this.reader.read(tenantId, entriesLoggedFrom(tenantId, unlogged, end)));
    return viewed.filter((v) => v.entry.index !== null || !later.has(v.entry.entryId));
  }

  /** The entries and rows of positions `(after, until]`, merged by position. */
  private async window(tenantId: string, log: IntegrityEntryRow[], after: string, until: string | null, digests: PersonalDigests): Promise<ViewedEntry[]> {
    const [audits, reports, erasedRows] = await Promise.all([
      this.reader.read(tenantId, auditRowsIn(tenantId, after, until)),
      this.reader.read(tenantId, reportRowsIn(tenantId, after, until)),
      this.reader.read(tenantId, erasedValuesIn(tenantId, after, until)),
    ]);
    const erased = new Map<string, ErasedDigests>();
    for (const v of erasedRows) erased.set(v.position, { ...erased.get(v.position), [v.path]: v.digest });
    const auditAt = new Map(audits.map((r) => [r.id, r]));
    const reportAt = new Map(reports.map((r) => [r.position, r]));
    const logAt = new Map(log.map((e) => [e.position, e]));
    const positions = [...new Set([...logAt.keys(), ...auditAt.keys(), ...reportAt.keys()])].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));

    const viewed: ViewedEntry[] = [];
    for (const position of positions) {
      const e = logAt.get(position);
      const audit = auditAt.get(position);
      const report = reportAt.get(position);
      const kept = erased.get(position) ?? null;
      if (e) {
        const isReport = e.kind === 'action-run-report';
        const row = isReport ? report : audit;
        const bytes = row ? this.bytes(e.kind as EntryKind, row, kept, digests) : null;
        viewed.push({ position, entry: { index: e.index, entryId: e.entryId, kind: e.kind as EntryKind, bytes, leafHash: e.leafHash }, report: isReport ? report : undefined });
        // A row of the other kind at this position is one the log does not have.
        const stray = isReport ? audit : report;
        if (stray) viewed.push(this.inserted(position, stray, kept, digests));
      } else {
        for (const row of [audit, report]) if (row) viewed.push(this.inserted(position, row, kept, digests));
      }
    }
    return viewed;
  }

  private inserted(position: string, row: AuditEventRow | ActionRunReportRow, kept: ErasedDigests | null, digests: PersonalDigests): ViewedEntry {
    const isReport = 'report' in row;
    const kind: EntryKind = isReport ? 'action-run-report' : 'audit-event';
    const entryId = isReport ? reportEntryId(row.tenantId, row.position) : row.eventId;
    return { position, entry: { index: null, entryId, kind, bytes: this.bytes(kind, row, kept, digests), leafHash: null }, report: isReport ? row : undefined };
  }

  private bytes(kind: EntryKind, row: AuditEventRow | ActionRunReportRow, kept: ErasedDigests | null, digests: PersonalDigests): Buffer {
    if ('report' in row) return reportEntryBytes(reportEntryOf(row, kept), digests);
    return eventEntryBytes(eventEntryOf(row, kind === 'admin-act' ? 'admin-act' : 'audit-event', kept), digests);
  }
}
