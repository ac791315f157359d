import { Injectable } from '@nestjs/common';

/**
 * The messages an earlier projection of the stream dead-lettered, by sequence, with the
 * reason it gave. A rebuild leaves them dead letters even where today's code could project
 * them: the live log admitted them (or their replayed copies) at the position it did, and
 * a rebuilt log must have the same roots as the checkpoints signed over it. Empty for the
 * live projector, which decides afresh.
 */
@Injectable()
export class SettledDeadLetters {
  constructor(private readonly reasons: ReadonlyMap<number, string> = new Map()) {}

  reasonFor(seq: number): string | undefined {
    return this.reasons.get(seq);
  }
}
