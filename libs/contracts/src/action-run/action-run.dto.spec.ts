import { randomUUID } from 'node:crypto';
import { validateBatch } from '../validation/batch';
import { tagOf, withoutTag } from './action-run';
import { ActionRunDto } from './action-run.dto';
import { normalizeActionRun } from './normalize-action-run';

const run = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  workspace: { name: 'acme-prod', organization: 'acme' },
  block: { name: 'nginx', from: 'cargo.ayedo.cloud/ayedo/infra/nginx:0.3.1' },
  action: 'deploy',
  status: 'successful',
  startedAt: '2026-11-20T21:17:00.000Z',
  finishedAt: '2026-11-20T21:17:42.500Z',
  exitCode: 0,
  cliVersion: '0.18.3',
  hostname: 'laptop-max',
  osUser: 'max',
  ...overrides,
});

function messagesFor(body: unknown): string[] {
  const result = validateBatch(ActionRunDto, body);
  return result.ok ? [] : result.messages;
}

describe('action run validation', () => {
  it('accepts a finished run and derives version and duration', () => {
    const result = validateBatch(ActionRunDto, run());
    if (!result.ok) throw new Error(result.messages.join('; '));
    expect(normalizeActionRun(result.items[0])).toMatchObject({
      block: { name: 'nginx', from: 'cargo.ayedo.cloud/ayedo/infra/nginx:0.3.1', version: '0.3.1' },
      workspace: { name: 'acme-prod', organization: 'acme' },
      durationMs: 42_500,
      exitCode: 0,
      finishedAt: '2026-11-20T21:17:42.500Z',
      retriggeredFrom: null,
    });
  });

  it('keeps a given version and duration, and accepts a running report without end or exit code', () => {
    const result = validateBatch(ActionRunDto, [
      run({ block: { name: 'nginx', from: 'reg/nginx:0.3.1', version: '0.3.1-hotfix' }, durationMs: 7 }),
      run({ status: 'running', finishedAt: undefined, exitCode: undefined }),
    ]);
    if (!result.ok) throw new Error(result.messages.join('; '));
    const [finished, running] = result.items.map(normalizeActionRun);
    expect(finished.block.version).toBe('0.3.1-hotfix');
    expect(finished.durationMs).toBe(7);
    expect(running).toMatchObject({ status: 'running', finishedAt: null, durationMs: null, exitCode: null });
  });

  it('accepts an aborted run with or without an exit code', () => {
    expect(messagesFor(run({ status: 'aborted', exitCode: 130 }))).toEqual([]);
    expect(messagesFor(run({ status: 'aborted', exitCode: undefined }))).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['id not a UUID', { id: 'run-1' }, /^id must be a UUID/],
    ['no workspace', { workspace: undefined }, /^workspace should not be null or undefined/],
    ['workspace name unsafe', { workspace: { name: 'acme prod' } }, /^workspace\.name must match/],
    ['unknown workspace field', { workspace: { name: 'a', region: 'eu' } }, /^workspace\.region is not a known field/],
    ['block name with a shell character', { block: { name: 'nginx;rm' } }, /^block\.name must match/],
    ['block name starting with a dot', { block: { name: '.hidden' } }, /^block\.name must match/],
    ['action with a slash', { action: '../deploy' }, /^action must match/],
    ['unknown status', { status: 'done' }, /^status must be one of running, successful, failed, aborted/],
    ['startedAt without zone', { startedAt: '2026-11-20T21:17:00' }, /^startedAt must be an ISO-8601/],
    ['finishedAt missing when finished', { finishedAt: undefined }, /^finishedAt must be an ISO-8601 .*required unless running/],
    ['finishedAt before startedAt', { finishedAt: '2026-11-20T21:16:59.999Z' }, /^finishedAt must not be before startedAt/],
    ['negative duration', { durationMs: -1 }, /^durationMs must not be less than 0/],
    ['fractional duration', { durationMs: 1.5 }, /^durationMs must be an integer/],
    ['successful with exit code 1', { exitCode: 1 }, /^exitCode must be 0 for a successful run/],
    ['failed without exit code', { status: 'failed', exitCode: undefined }, /^exitCode is required for a failed run/],
    ['running with an exit code', { status: 'running', finishedAt: undefined, exitCode: 0 }, /^exitCode must be absent while the run is running/],
    ['exit code not an integer', { status: 'failed', exitCode: '1' }, /^exitCode must be a 32-bit integer/],
    ['retriggeredFrom not a UUID', { retriggeredFrom: 'x' }, /^retriggeredFrom must be a UUID/],
    ['hostname over 256', { hostname: 'h'.repeat(257) }, /^hostname must be shorter/],
    ['unknown field', { output: 'log lines' }, /^output is not a known field/],
  ])('refuses %s', (_name, override, pattern) => {
    const messages = messagesFor(run(override));
    expect(messages.some((m) => pattern.test(m))).toBe(true);
  });

  it('names the item index for batches', () => {
    expect(messagesFor([run(), run({ status: 'failed', exitCode: undefined })])).toEqual(['[1].exitCode is required for a failed run']);
  });
});

describe('block references', () => {
  it.each<[string, string | null, string]>([
    ['cargo.ayedo.cloud/ayedo/infra/nginx:0.3.1', '0.3.1', 'cargo.ayedo.cloud/ayedo/infra/nginx'],
    ['db-maintenance', null, 'db-maintenance'],
    ['localhost:5000/infra/nginx', null, 'localhost:5000/infra/nginx'],
    ['localhost:5000/infra/nginx:1.2', '1.2', 'localhost:5000/infra/nginx'],
    ['reg/nginx@sha256:abcd', null, 'reg/nginx'],
    ['reg/nginx:', null, 'reg/nginx:'],
  ])('reads %s as tag %s of %s', (from, tag, base) => {
    expect(tagOf(from)).toBe(tag);
    expect(withoutTag(from)).toBe(base);
  });
});
