/**
 * Where services read the time. Expiry and TTL rules (commands, runner presence, key
 * rotation) take it injected, so their tests move a clock instead of waiting.
 */
export abstract class Clock {
  /** Milliseconds since the epoch. */
  abstract now(): number;

  /** The time as the API writes it: ISO-8601 UTC with milliseconds. */
  iso(): string {
    return new Date(this.now()).toISOString();
  }
}

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}

/** A clock that moves only when told to. */
export class ManualClock extends Clock {
  constructor(private current: number = Date.parse('2026-01-01T00:00:00.000Z')) {
    super();
  }

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(iso: string): void {
    this.current = Date.parse(iso);
  }
}
