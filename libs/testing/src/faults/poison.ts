import { eventSubject } from '@runtrail/contracts';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { auditEvent } from '../events';
import { eventually, request } from '../http';
import { projectorCommand } from '../projector-commands';
import type { TestStack } from '../test-stack';
import { expectThat, pause } from './observe';
import type { InjectedEvents } from './scenario';

/**
 * A fault: poison messages among good ones. While the load runs, `count` times: an event the
 * database refuses (an operator's CHECK constraint, SQLSTATE 23514) submitted through the
 * gateway, and a malformed message published straight onto a tenant's subject. Each must
 * become a dead letter under its own stream sequence while the load flows on. Then the
 * cause is fixed (the constraint dropped) and `npm run dead-letters -- replay` must project
 * every refused event, and leave the malformed ones dead. The refused events are returned
 * as acknowledged: the verdict counts them lost unless the replay stored them.
 */
export function poisonAmongGood(count: number, everyMs: number): (stack: TestStack) => Promise<InjectedEvents> {
  return async (stack) => {
    const tenant = 'faults-poison';
    const key = await stack.createKey(tenant, ['events:write'], 'poison');
    await stack.query(`ALTER TABLE audit_events ADD CONSTRAINT faults_poison CHECK (action <> 'Poison')`);
    const refused: string[] = [];
    const malformed: number[] = [];
    const nc = await connect({ servers: stack.env.NATS_URL as string });
    try {
      const js = jetstream(nc);
      for (let i = 0; i < count; i++) {
        await pause(everyMs);
        const event = auditEvent({ action: 'Poison' });
        const res = await request('POST', `${stack.ingestUrl}/v1/audit-events`, { key, body: [event] });
        expectThat(res.status === 202, `202 for a refused event, got ${res.status}`);
        refused.push(event.eventId as string);
        malformed.push((await js.publish(eventSubject(stack.namespace, tenant, 'audit'), new TextEncoder().encode(`{"poison": ${i}`))).seq);
      }
    } finally {
      await nc.close();
    }
    const dead = await eventually(async () => {
      const rows = await stack.query<{ stream_seq: string; reason: string }>(`SELECT stream_seq, reason FROM dead_letters WHERE replayed_as IS NULL`);
      return rows.length >= 2 * count ? rows : undefined;
    }, 60_000, `${2 * count} dead letters`);
    const seqs = new Set(dead.map((d) => Number(d.stream_seq)));
    expectThat(malformed.every((s) => seqs.has(s)), 'each malformed message dead-lettered under its own stream sequence');
    expectThat(dead.filter((d) => d.reason.includes('SQLSTATE 23514')).length === count, `${count} dead letters refused by the constraint`);

    await stack.query(`ALTER TABLE audit_events DROP CONSTRAINT faults_poison`);
    const replay = await projectorCommand(stack, 'dead-letters', 'replay');
    const outcomes = replay.stdout.trim().split('\n').map((line) => line.split('\t')[1]);
    expectThat(
      outcomes.filter((o) => o === 'projected').length === count && outcomes.filter((o) => o === 'dead again').length === count,
      `the replay to project the ${count} refused events and leave the ${count} malformed messages dead (got: ${replay.stdout}${replay.stderr})`,
    );
    return { audit: refused.map((id) => ({ id, acknowledged: true })) };
  };
}
