import { ApiProperty } from '@nestjs/swagger';
import { ENTRY_KINDS, type EntryKind } from '@runtrail/integrity';
import type { LogKey } from './log-signer';

const HASH = { type: String, format: 'byte', description: 'SHA-256, standard base64' } as const;

/** A key that signs (or signed) a tenant log's checkpoints. */
export class LogKeyView implements LogKey {
  @ApiProperty({ example: '5a315e75', description: "8 hex digits: the first 4 bytes of the key hash, as in the notes' signature lines" })
  keyId!: string;

  @ApiProperty({ enum: ['ed25519'] })
  algorithm!: 'ed25519';

  @ApiProperty({ format: 'byte', example: '6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=', description: 'The raw 32-byte Ed25519 public key, standard base64' })
  publicKey!: string;

  @ApiProperty({
    example: 'runtrail/local/acme+5a315e75+AepKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs',
    description: "The signed-note verifier key `<origin>+<keyId>+<base64(0x01 || publicKey)>`, as Go's note.NewVerifier reads it",
  })
  verifierKey!: string;
}

/** `GET /v1/integrity/public-key`. */
export class PublicKeyView extends LogKeyView {
  @ApiProperty({ type: LogKeyView, isArray: true, description: 'Keys that signed earlier checkpoints of this log (before a rotation), most recently used first' })
  previous!: LogKeyView[];
}

/** A signed checkpoint of a tenant log. */
export class CheckpointView {
  @ApiProperty({ example: 'runtrail/local/acme', description: "The log's origin, the note's first line and its key name" })
  origin!: string;

  @ApiProperty({ example: 42, description: 'The tree size: the checkpoint covers entries 0 to size-1' })
  size!: number;

  @ApiProperty(HASH)
  rootHash!: string;

  @ApiProperty({ format: 'date-time' })
  issuedAt!: string;

  @ApiProperty({ description: 'The C2SP tlog-checkpoint signed note, as issued' })
  note!: string;
}

/** One entry of a tenant log. */
export class LogEntryView {
  @ApiProperty({ example: 0, description: 'Its number in the log, from 0 in stream order' })
  index!: number;

  @ApiProperty({ format: 'uuid' })
  entryId!: string;

  @ApiProperty({ enum: ENTRY_KINDS })
  kind!: EntryKind;

  @ApiProperty({ format: 'uuid', description: "The audit event's eventId, or the action run's id" })
  ref!: string;

  @ApiProperty({ format: 'date-time' })
  receivedAt!: string;

  @ApiProperty(HASH)
  leafHash!: string;
}

/** `GET /v1/integrity/proof`. */
export class InclusionProofView {
  @ApiProperty({ description: "The entry's index" })
  index!: number;

  @ApiProperty({ description: 'The tree size the proof is for: a checkpointed size' })
  size!: number;

  @ApiProperty(HASH)
  leafHash!: string;

  @ApiProperty({ type: String, format: 'byte', isArray: true, description: 'RFC 9162 inclusion proof, from the leaf level upward' })
  hashes!: string[];

  @ApiProperty({ description: 'The signed checkpoint note of that size' })
  checkpoint!: string;
}

/** `GET /v1/integrity/consistency`. */
export class ConsistencyProofView {
  @ApiProperty()
  from!: number;

  @ApiProperty()
  to!: number;

  @ApiProperty({ type: String, format: 'byte', isArray: true, description: 'RFC 9162 consistency proof; empty when from equals to' })
  hashes!: string[];
}

/** The problem at the lowest index a verification found. */
export class LogProblemView {
  @ApiProperty({ description: "The entry's index; for a checkpoint, its tree size" })
  index!: number;

  @ApiProperty({ type: String, nullable: true, description: 'The entry, when it can be known' })
  entryId!: string | null;

  @ApiProperty({ enum: ['modified', 'missing', 'inserted', 'reordered', 'bad-signature', 'inconsistent-checkpoint'] })
  kind!: string;

  @ApiProperty({ description: 'One line for a person' })
  detail!: string;
}

/** The prefix of the log retention removed (CONTRACT §8). */
export class RemovedRangeView {
  @ApiProperty({ description: 'Entries [0, upToIndex) were removed by retention: the log keeps only their leaf hashes, and verification starts after them' })
  upToIndex!: number;
}

/** `GET /v1/integrity/verify`. */
export class LogVerificationView {
  @ApiProperty({ description: 'Every entry, checkpoint and merged run checked verifies' })
  ok!: boolean;

  @ApiProperty({ description: 'Entries checked (log entries, and rows the log does not have)' })
  entries!: number;

  @ApiProperty({ description: 'Checkpoints checked' })
  checkpoints!: number;

  @ApiProperty({ type: LogProblemView, nullable: true })
  firstProblem!: LogProblemView | null;

  @ApiProperty({ type: RemovedRangeView, nullable: true, description: 'What retention removed; null when it removed nothing' })
  removed!: RemovedRangeView | null;
}
