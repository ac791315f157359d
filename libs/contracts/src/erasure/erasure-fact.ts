/**
 * An erasure as the stream records it (`<ns>.evt.<tenant>.erasure`): which fields of which
 * entries now read `[erased]`, each with the digest its entry keeps. Never the value itself
 * (CONTRACT §6); the projector applies it to the rows the entries were made from.
 */
export interface ErasureFact {
  erasureId: string;
  entries: ErasedEntry[];
}

export interface ErasedEntry {
  /** The stream position of the entry's row (`audit_events.id` or `action_run_reports.position`). */
  position: string;
  /** `event` for an audit event or administrative act, `report` for an action-run report. */
  row: 'event' | 'report';
  /** Field path (`entityName`, `context.ip_address`, `changes.email.after`, `osUser`, ...) → digest. */
  fields: Record<string, string>;
}
