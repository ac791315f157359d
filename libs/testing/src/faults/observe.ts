import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { projectorConsumers } from '../cleanup';
import { auditEvent } from '../events';
import { eventually, request } from '../http';
import type { TestStack } from '../test-stack';

/** A pause that is the scenario's length (load running, a fault lasting), not a wait for a condition. */
export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A Prometheus counter or gauge of a service, summed over its labels (0 when absent). */
export async function metric(serviceUrl: string, name: string): Promise<number> {
  const text = (await request('GET', `${serviceUrl}/metrics`)).text;
  const line = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`, 'gm');
  return [...text.matchAll(line)].reduce((sum, m) => sum + Number(m[2]), 0);
}

/** `/readyz` of a service: its status and checks. */
export async function readiness(serviceUrl: string): Promise<{ status: number; checks: Record<string, boolean> }> {
  const res = await request<{ checks?: Record<string, boolean> }>('GET', `${serviceUrl}/readyz`);
  return { status: res.status, checks: res.body?.checks ?? {} };
}

/**
 * One audit event submitted outside the load, to see what the gateway answers during a
 * fault; resolves with the status (0 when the connection failed) and the event's id.
 */
export async function probe(stack: TestStack, key: string): Promise<{ status: number; eventId: string }> {
  const event = auditEvent();
  const status = await request('POST', `${stack.ingestUrl}/v1/audit-events`, { key, body: event })
    .then((r) => r.status)
    .catch(() => 0);
  return { status, eventId: event.eventId as string };
}

/** Fails the scenario with what was seen: a fault's expectation that did not hold. */
export function expectThat(condition: boolean, what: string): void {
  if (!condition) throw new Error(`expected ${what}`);
}

/** Deliveries of the projector's messages beyond the first of each, since the projector started (its own count). */
export function redeliveries(stack: TestStack): Promise<number> {
  return metric(stack.projectorUrl, 'runtrail_projector_redelivered_messages_total');
}

/** How many messages the stack's event stream holds on the subjects `filter` matches. */
export async function streamMessages(stack: TestStack, filter: string): Promise<number> {
  const nc = await connect({ servers: (stack.env.NATS_URL as string).split(',') });
  try {
    const info = await (await jetstreamManager(nc)).streams.info(`${stack.namespace}-events`, { subjects_filter: filter });
    return Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
  } finally {
    await nc.close();
  }
}

/** Resolves once the stack's projector has nothing left to deliver or to have acknowledged. */
export async function projectorCaughtUp(stack: TestStack, timeoutMs = 60_000): Promise<void> {
  await eventually(async () => {
    const infos = await projectorConsumers(stack.namespace, stack.env.NATS_URL as string).catch(() => undefined);
    return infos?.every((info) => info.num_pending === 0 && info.num_ack_pending === 0) ? true : undefined;
  }, timeoutMs, `the projector of ${stack.namespace} catching up`);
}
