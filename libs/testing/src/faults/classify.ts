/**
 * The fault suite's verdict on every event (issue 14, docs/reliability.md), as Jepsen
 * classifies writes: an event the service acknowledged (a 202 to any attempt) must be
 * stored exactly once; one never acknowledged may be stored once or not at all.
 */

export interface SubmittedEvent {
  id: string;
  /** Some attempt to submit it got a 202. */
  acknowledged: boolean;
}

export interface Classification {
  /** Acknowledged and stored once. */
  ok: number;
  /** Acknowledged and not stored: what must never happen. */
  lost: number;
  /** Stored more than once: what must never happen either. */
  duplicated: number;
  /** Never acknowledged (stored once or not at all; both are allowed). */
  unknown: number;
  /** Stored although nobody submitted it. */
  unexpected: number;
  /** The ids of the lost and duplicated events, to look into. */
  offenders: string[];
}

/** `stored`: how many rows each event id has in the tables readers see. */
export function classify(submitted: readonly SubmittedEvent[], stored: ReadonlyMap<string, number>): Classification {
  const c: Classification = { ok: 0, lost: 0, duplicated: 0, unknown: 0, unexpected: 0, offenders: [] };
  const seen = new Set<string>();
  for (const { id, acknowledged } of submitted) {
    if (seen.has(id)) continue;
    seen.add(id);
    const rows = stored.get(id) ?? 0;
    if (rows > 1) {
      c.duplicated++;
      c.offenders.push(id);
    } else if (!acknowledged) c.unknown++;
    else if (rows === 1) c.ok++;
    else {
      c.lost++;
      c.offenders.push(id);
    }
  }
  for (const id of stored.keys()) if (!seen.has(id)) c.unexpected++;
  return c;
}
