import { tenantSubjectFilter } from '@runtrail/contracts';
import { auditEvent } from '../events';
import { request } from '../http';
import type { TestStack } from '../test-stack';
import { runReport } from './load';
import { expectThat, pause, streamMessages } from './observe';
import type { InjectedEvents } from './scenario';

/**
 * A fault: the same events re-sent after the broker's duplicate window. `count` audit events
 * and as many action runs, from a tenant of their own, are submitted, and submitted again
 * once `windowSeconds` (the stack's `STREAM_DUPLICATE_WINDOW_SECONDS`) has passed: the
 * gateway answers 202 both times and JetStream, its window over, stores the messages again
 * (twice as many messages from them on the tenant's subjects). They are returned to be classified: stored
 * once all the same, by the projector's unique keys.
 */
export function resendAfterWindow(windowSeconds: number, count = 100): (stack: TestStack) => Promise<InjectedEvents> {
  return async (stack) => {
    const tenant = 'faults-resend';
    const key = await stack.createKey(tenant, ['events:write'], 'resend');
    const audit = Array.from({ length: count }, () => auditEvent());
    const runs = Array.from({ length: count }, () => runReport());
    const send = async () => {
      for (const [path, body] of [['/v1/audit-events', audit], ['/v1/action-runs', runs]] as const) {
        const res = await request('POST', `${stack.ingestUrl}${path}`, { key, body });
        expectThat(res.status === 202, `202 for ${path}, got ${res.status}`);
      }
    };
    // The tenant's subjects also hold the service's own record of the key's creation.
    const subjects = tenantSubjectFilter(stack.namespace, tenant);
    const before = await streamMessages(stack, subjects);
    await send();
    const once = (await streamMessages(stack, subjects)) - before;
    // Time passing is the fault: the broker forgets the message ids after its window.
    await pause(windowSeconds * 1000 + 1000);
    await send();
    const twice = (await streamMessages(stack, subjects)) - before;
    expectThat(once > 0 && twice === 2 * once, `the broker to store the re-sent messages again (${once} then ${twice})`);
    const acknowledged = (list: Record<string, unknown>[], id: string) => list.map((e) => ({ id: e[id] as string, acknowledged: true }));
    return { audit: acknowledged(audit, 'eventId'), runs: acknowledged(runs, 'id') };
  };
}
