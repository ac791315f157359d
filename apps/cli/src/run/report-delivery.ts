import { RuntrailApiError, RuntrailClient, RuntrailUnavailableError } from '@runtrail/client';
import type { RejectedReport } from './report-spool';
import type { RunReport } from './run-report';

/** Where reports go: RuntrailClient.submitActionRuns in the CLI, a fake in specs. */
export interface ReportSink {
  submit(reports: RunReport[], call: { deadline: number; timeoutMs: number }): Promise<unknown>;
}

/** A sink for one API: its base URL, key and per-attempt timeout. */
export type SinkFactory = (api: { url: string; apiKey: string; timeoutMs: number }) => ReportSink;

/** The real sink: the client SDK, its retries cut by the deadline and per-attempt timeout we pass. */
export const clientSink: SinkFactory = (api) => {
  const client = new RuntrailClient({ ingestUrl: api.url, apiKey: api.apiKey, timeoutMs: api.timeoutMs });
  return { submit: (reports, call) => client.submitActionRuns(reports, call) };
};

export interface DeliveryOptions {
  /** Epoch ms: no request starts after it, and one still running is given up. */
  deadline: number;
  /** Per HTTP attempt. */
  timeoutMs: number;
  /** Stop now (a second signal while runtrail finishes up). */
  hurry?: AbortSignal;
  /** Strings that must never appear in a problem (the API key). */
  secrets?: string[];
}

export interface DeliveryResult {
  delivered: RunReport[];
  /** Refused as invalid (400/413/415): never accepted as they are, not worth another try. */
  rejected: RejectedReport[];
  /** Not sent, or sent without an answer: for the spool. */
  undelivered: RunReport[];
  /** Why something was not delivered, in a few words without the key. */
  problem?: string;
}

/** The API's limits: 1000 items and 1 MiB per request; stay well under the bytes. */
const MAX_BATCH_ITEMS = 1000;
const MAX_BATCH_BYTES = 512 * 1024;
/** How long past the deadline a request is given before runtrail stops waiting for it. */
const GRACE_MS = 100;

class GaveUp extends Error {}

/** Splits reports, oldest first, into requests within the API's limits. */
export function batches(reports: RunReport[]): RunReport[][] {
  const out: RunReport[][] = [];
  let current: RunReport[] = [];
  let bytes = 2;
  for (const report of reports) {
    const size = Buffer.byteLength(JSON.stringify(report)) + 1;
    if (current.length > 0 && (current.length >= MAX_BATCH_ITEMS || bytes + size > MAX_BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 2;
    }
    current.push(report);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** `promise`, or a GaveUp once `deadline` (plus a little grace) has passed or `hurry` fires. */
function bounded<T>(promise: Promise<T>, deadline: number, hurry?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      hurry?.removeEventListener('abort', onHurry);
    };
    const onHurry = () => {
      stop();
      reject(new GaveUp('stopped by a signal'));
    };
    const timer = setTimeout(() => {
      stop();
      reject(new GaveUp('no answer in time'));
    }, Math.max(0, deadline + GRACE_MS - Date.now()));
    if (hurry?.aborted) return onHurry();
    hurry?.addEventListener('abort', onHurry);
    promise.then(
      (value) => {
        stop();
        resolve(value);
      },
      (error: unknown) => {
        stop();
        reject(error);
      },
    );
  });
}

/** `text` with every secret replaced by `***`. */
export function redact(text: string, secrets: string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('***');
  return out;
}

/** A failure in a few words. */
export function describeProblem(error: unknown): string {
  if (error instanceof RuntrailApiError) {
    if (error.status === 401) return 'the API key was refused (401)';
    if (error.status === 403) return 'the API key may not submit runs (403, it needs events:write)';
    return error.message;
  }
  if (error instanceof RuntrailUnavailableError || error instanceof GaveUp) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** The 0-based items a 400 names (`[3].block.name must match ...`), with their messages. */
function itemsNamed(error: RuntrailApiError): Map<number, string[]> {
  const named = new Map<number, string[]>();
  for (const message of error.messages) {
    const m = /^\[(\d+)\]/.exec(message);
    if (!m) continue;
    const index = Number(m[1]);
    named.set(index, [...(named.get(index) ?? []), message]);
  }
  return named;
}

/**
 * Sends `reports` (oldest first) in as few requests as the API's limits allow, within
 * `deadline`. A batch is all-or-nothing on the server: when one is refused as invalid,
 * the items its messages name are set aside as rejected and the rest is sent again; a
 * refusal that names no item (413, or a message without an index) is narrowed down by
 * halving the batch. Any other failure (unreachable, no answer, key refused, 5xx) stops
 * the delivery: what is left is `undelivered`. Never throws.
 */
export async function deliverReports(reports: RunReport[], sink: ReportSink, options: DeliveryOptions): Promise<DeliveryResult> {
  const result: DeliveryResult = { delivered: [], rejected: [], undelivered: [] };
  const queue = batches(reports);
  while (queue.length > 0) {
    const batch = queue.shift() as RunReport[];
    if (Date.now() >= options.deadline || options.hurry?.aborted) {
      result.problem = options.hurry?.aborted ? 'stopped by a signal' : 'no time left';
      result.undelivered.push(...batch, ...queue.flat());
      break;
    }
    try {
      await bounded(sink.submit(batch, { deadline: options.deadline, timeoutMs: options.timeoutMs }), options.deadline, options.hurry);
      result.delivered.push(...batch);
    } catch (error) {
      if (error instanceof RuntrailApiError && error.rejected) {
        const reason = redact(error.message, options.secrets);
        if (batch.length === 1) {
          result.rejected.push({ report: batch[0], reason });
          continue;
        }
        const named = itemsNamed(error);
        const bad = [...named.keys()].filter((i) => i < batch.length);
        if (bad.length > 0) {
          for (const i of bad) {
            result.rejected.push({ report: batch[i], reason: redact(`Runtrail API answered ${error.status}: ${(named.get(i) ?? []).join('; ')}`, options.secrets) });
          }
          const rest = batch.filter((_, i) => !named.has(i));
          if (rest.length > 0) queue.unshift(rest);
        } else {
          const half = Math.ceil(batch.length / 2);
          queue.unshift(batch.slice(0, half), batch.slice(half));
        }
        continue;
      }
      result.problem = redact(describeProblem(error), options.secrets);
      result.undelivered.push(...batch, ...queue.flat());
      break;
    }
  }
  return result;
}
