import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { parseZonedDateTime } from '../validation/dates';

/**
 * Re-trigger commands are signed with Ed25519 by the query service and verified by the
 * runner agent before it runs anything (ADR 0007, "Forgery"): any NATS client can publish
 * on a runner's subject, none can make the agent run something. The tenant, runner and
 * expiry are inside the signed payload, so a genuine command cannot be replayed to another
 * runner or after it expired either.
 */
export interface CommandPayload {
  v: 1;
  commandId: string;
  tenantId: string;
  runnerId: string;
  runId: string;
  workspace: string;
  block: string;
  action: string;
  reason: string | null;
  requestedAt: string;
  expiresAt: string;
  /** The run's block reference and version, so the new run reports the same block. */
  blockFrom?: string | null;
  blockVersion?: string | null;
  /** The correlation id the new run carries: the request's, else the original run's (CONTRACT §9). */
  correlationId?: string | null;
}

export interface SignedCommand {
  payload: CommandPayload;
  /** Ed25519 signature of the canonical payload, base64url without padding. */
  signature: string;
}

export type CommandRejectionReason = 'malformed' | 'bad-signature' | 'wrong-tenant' | 'wrong-runner' | 'expired';

/** Why the agent refuses a command; it acks and never runs it. */
export class CommandRejectedError extends Error {
  constructor(
    readonly reason: CommandRejectionReason,
    message: string,
  ) {
    super(`command rejected (${reason}): ${message}`);
    this.name = 'CommandRejectedError';
  }
}

const STRING_FIELDS = ['commandId', 'tenantId', 'runnerId', 'runId', 'workspace', 'block', 'action'] as const;
const DATE_FIELDS = ['requestedAt', 'expiresAt'] as const;
/** Optional: a payload signed before they existed has none of them. */
const OPTIONAL_FIELDS = ['blockFrom', 'blockVersion', 'correlationId'] as const;
const PAYLOAD_FIELDS = new Set<string>(['v', ...STRING_FIELDS, 'reason', ...OPTIONAL_FIELDS, ...DATE_FIELDS]);

/** 64 bytes in unpadded base64url. */
const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{86}$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What is wrong with a payload's shape, or undefined when it is a v1 CommandPayload. */
function payloadProblem(payload: unknown): string | undefined {
  if (!isPlainObject(payload)) return 'payload must be an object';
  const unknown = Object.keys(payload).filter((k) => !PAYLOAD_FIELDS.has(k));
  if (unknown.length > 0) return `payload has unknown fields: ${unknown.join(', ')}`;
  if (payload.v !== 1) return 'payload.v must be 1';
  for (const field of STRING_FIELDS) {
    const value = payload[field];
    if (typeof value !== 'string' || value.length === 0) return `payload.${field} must be a non-empty string`;
  }
  if (payload.reason !== null && typeof payload.reason !== 'string') return 'payload.reason must be a string or null';
  for (const field of OPTIONAL_FIELDS) {
    const value = payload[field];
    if (value !== undefined && value !== null && typeof value !== 'string') return `payload.${field} must be a string or null`;
  }
  for (const field of DATE_FIELDS) {
    const value = payload[field];
    if (typeof value !== 'string' || parseZonedDateTime(value) === undefined) {
      return `payload.${field} must be an ISO-8601 date-time with zone`;
    }
  }
  return undefined;
}

/**
 * The signed bytes: JSON with object keys sorted at every level, no whitespace. Field
 * order in the message (or in the code that built it) never changes the signature.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function ed25519Key(pem: string, kind: 'private' | 'public'): KeyObject {
  const key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`command signing needs an Ed25519 ${kind} key, got ${key.asymmetricKeyType ?? 'a symmetric key'}`);
  }
  return key;
}

/** A new Ed25519 key pair, PKCS#8 and SPKI PEM. */
export function generateCommandSigningKeys(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** Signs a payload; refuses one the agent would reject as malformed. */
export function signCommand(payload: CommandPayload, privateKeyPem: string): SignedCommand {
  const problem = payloadProblem(payload);
  if (problem) throw new Error(`cannot sign command: ${problem}`);
  const key = ed25519Key(privateKeyPem, 'private');
  const signature = sign(null, Buffer.from(canonicalJson(payload), 'utf8'), key).toString('base64url');
  return { payload: { ...payload }, signature };
}

/**
 * Checks a received message (parsed JSON, anything) and returns its payload, or throws a
 * CommandRejectedError. A public key that is not Ed25519 is the agent's own configuration
 * error and throws a plain Error.
 */
export function verifyCommand(
  message: unknown,
  publicKeyPem: string,
  expect: { tenantId: string; runnerId: string; now?: Date },
): CommandPayload {
  const key = ed25519Key(publicKeyPem, 'public');
  if (!isPlainObject(message)) throw new CommandRejectedError('malformed', 'not an object');
  const extra = Object.keys(message).filter((k) => k !== 'payload' && k !== 'signature');
  if (extra.length > 0) throw new CommandRejectedError('malformed', `unknown fields: ${extra.join(', ')}`);
  const problem = payloadProblem(message.payload);
  if (problem) throw new CommandRejectedError('malformed', problem);
  const { signature } = message;
  if (typeof signature !== 'string' || !SIGNATURE_PATTERN.test(signature)) {
    throw new CommandRejectedError('malformed', 'signature must be 64 bytes in unpadded base64url');
  }
  const signatureBytes = Buffer.from(signature, 'base64url');
  // Node's decoder ignores trailing bits; one signature has one spelling.
  if (signatureBytes.toString('base64url') !== signature) {
    throw new CommandRejectedError('malformed', 'signature is not canonical base64url');
  }

  const payload = message.payload as unknown as CommandPayload;
  if (!verify(null, Buffer.from(canonicalJson(payload), 'utf8'), key, signatureBytes)) {
    throw new CommandRejectedError('bad-signature', 'signature does not match the payload and the public key');
  }
  if (payload.tenantId !== expect.tenantId) {
    throw new CommandRejectedError('wrong-tenant', `command is for tenant ${payload.tenantId}, not ${expect.tenantId}`);
  }
  if (payload.runnerId !== expect.runnerId) {
    throw new CommandRejectedError('wrong-runner', `command is for runner ${payload.runnerId}, not ${expect.runnerId}`);
  }
  const now = expect.now ?? new Date();
  const expiresAt = parseZonedDateTime(payload.expiresAt) as Date;
  if (now.getTime() >= expiresAt.getTime()) {
    throw new CommandRejectedError('expired', `command expired at ${expiresAt.toISOString()}`);
  }
  return { ...payload };
}
