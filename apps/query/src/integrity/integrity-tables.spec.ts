import { randomBytes, randomUUID } from 'node:crypto';
import {
  EMPTY_FRONTIER,
  appendLeaves,
  consistencyProof,
  consistencyRanges,
  frontierToBytes,
  inclusionProof,
  inclusionRanges,
  leafHash,
  rootOf,
  type Frontier,
  type Hash,
} from '@runtrail/merkle';
import { TenantReader, insertIntegrityEntries, insertIntegrityNodes, openDatabase, saveIntegrityLogs } from '@runtrail/persistence';
import { ManualClock, Metrics } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import { databaseUrl, dropDatabase, uniqueName } from '@runtrail/testing';
import type { DataSource } from 'typeorm';
import { CheckpointStore } from './checkpoint-store';
import { CheckpointRepository } from './checkpoint.repository';
import { LogEntryRepository } from './log-entry.repository';
import { LogSigner, describeKey } from './log-signer';
import { ed25519FromSeed } from './signing-key';
import { TreeNodes } from './tree-nodes';
import { MemorySignedState } from './test/memory-signed-state';
import { SignCheckpoints } from './usecases/sign-checkpoints/sign-checkpoints.usecase';

/**
 * The integrity reads and the checkpoint signer against the real tables (real Postgres,
 * row-level security, the `runtrail_integrity` role), over logs written as the projector
 * writes them.
 */
describe('the integrity log tables, as the query service reads and signs them', () => {
  const database = uniqueName('intq');
  let ds: DataSource;
  let reader: TenantReader;
  const clock = new ManualClock(Date.parse('2026-11-30T10:00:00.000Z'));
  const leaves = new Map<string, Hash[]>();
  const frontiers = new Map<string, Frontier>();
  const signerWith = (seed: Buffer) => new LogSigner(ed25519FromSeed(seed), 'local', 'generated');
  const state = new MemorySignedState();
  const replica = (signer: LogSigner) =>
    new SignCheckpoints(new CheckpointStore(ds), signer, clock, state, new TreeNodes(reader), new PinoLogger({ pinoHttp: { level: 'silent' } }), new Metrics('intq-test'));

  /** Appends `n` entries to the tenant's log, as the projector's appender writes them. */
  async function append(tenantId: string, n: number): Promise<void> {
    const before = frontiers.get(tenantId) ?? EMPTY_FRONTIER;
    const added = Array.from({ length: n }, () => leafHash(randomBytes(8)));
    const { frontier, completed } = appendLeaves(before, added);
    const entries = added.map((leaf, i) => ({
      tenantId,
      index: before.size + i,
      entryId: randomUUID(),
      kind: 'audit-event',
      ref: randomUUID(),
      position: String(before.size + i + 1),
      receivedAt: clock.iso(),
      leafHash: leaf,
    }));
    await ds.query(insertIntegrityEntries.text, insertIntegrityEntries.params(entries));
    const nodes = completed.map(({ node, hash }) => ({ tenantId, level: node.level, index: node.index, hash }));
    if (nodes.length) await ds.query(insertIntegrityNodes.text, insertIntegrityNodes.params(nodes));
    const row = { tenantId, size: frontier.size, frontier: frontierToBytes(frontier), lastPosition: String(frontier.size), updatedAt: clock.iso() };
    await ds.query(saveIntegrityLogs.text, saveIntegrityLogs.params([row]));
    frontiers.set(tenantId, frontier);
    leaves.set(tenantId, [...(leaves.get(tenantId) ?? []), ...added]);
  }

  const sizes = async (tenantId: string) => (await new CheckpointRepository(reader).fetch(tenantId, {}, 1000, 0)).map((c) => c.size);

  beforeAll(async () => {
    ds = await openDatabase({ url: databaseUrl(database), applicationName: 'intq-test', poolSize: 4 });
    reader = new TenantReader(ds);
  });

  afterAll(async () => {
    await ds.destroy();
    await dropDatabase(database);
  });

  it('signs each log that grew once, however many replicas sign at the same moment, and never an empty log', async () => {
    const signer = signerWith(randomBytes(32));
    await append('acme', 5);
    await append('globex', 1);
    // A log row of size 0 (no entry yet) is never checkpointed.
    await ds.query(saveIntegrityLogs.text, saveIntegrityLogs.params([{ tenantId: 'initech', size: 0, frontier: Buffer.alloc(0), lastPosition: '0', updatedAt: clock.iso() }]));

    const rounds = await Promise.all([replica(signer).execute(), replica(signer).execute(), replica(signer).execute()]);
    expect(rounds.flat().map((c) => `${c.tenantId}/${c.size}`).sort()).toEqual(['acme/5', 'globex/1']);
    expect(await replica(signer).execute()).toEqual([]);
    expect([await sizes('acme'), await sizes('globex'), await sizes('initech')]).toEqual([[5], [1], []]);

    await append('acme', 3);
    expect((await replica(signer).execute()).map((c) => `${c.tenantId}/${c.size}`)).toEqual(['acme/8']);
    const [latest] = await new CheckpointRepository(reader).fetch('acme', {}, 1, 0);
    expect(latest).toEqual({
      origin: 'runtrail/local/acme',
      size: 8,
      rootHash: rootOf(leaves.get('acme') as Hash[]).toString('base64'),
      issuedAt: '2026-11-30T10:00:00.000Z',
      note: signer.sign('acme', 8, rootOf(leaves.get('acme') as Hash[])).note,
    });
  });

  it('refuses to sign a log rewritten behind its last signed checkpoint, even with that checkpoint deleted', async () => {
    const signer = signerWith(randomBytes(32));
    await append('umbrella', 6);
    expect((await replica(signer).execute()).map((c) => `${c.tenantId}/${c.size}`)).toEqual(['umbrella/6']);
    // A database administrator rewrites the whole log consistently (entries, subtrees, frontier) and removes its checkpoints.
    for (const table of ['integrity_entries', 'integrity_nodes', 'integrity_logs', 'integrity_checkpoints']) await ds.query(`DELETE FROM ${table} WHERE tenant_id = 'umbrella'`);
    frontiers.delete('umbrella');
    leaves.delete('umbrella');
    await append('umbrella', 7);
    expect(await replica(signer).execute()).toEqual([]);
    expect(await sizes('umbrella')).toEqual([]);
    // A log that only grew is signed again.
    await append('umbrella2', 3);
    await replica(signer).execute();
    await append('umbrella2', 2);
    expect((await replica(signer).execute()).map((c) => `${c.tenantId}/${c.size}`)).toEqual(['umbrella2/5']);
  });

  it('reads the stored nodes of inclusion and consistency proofs, the same hashes as from the whole tree', async () => {
    await append('proofs', 21);
    const all = leaves.get('proofs') as Hash[];
    const tree = new TreeNodes(reader);
    for (const size of [1, 2, 7, 8, 13, 21]) {
      for (let index = 0; index < size; index++) {
        expect(await tree.rangeHashes('proofs', inclusionRanges(index, size))).toEqual(inclusionProof(all.slice(0, size), index));
      }
      for (const from of [1, 3, 4, size]) {
        if (from <= size) expect(await tree.rangeHashes('proofs', consistencyRanges(from, size))).toEqual(consistencyProof(all.slice(0, size), from));
      }
    }
  });

  it("reads one tenant's rows only: another tenant's nodes and entries are not there", async () => {
    await append('other', 4);
    const entries = new LogEntryRepository(reader);
    const [first] = await entries.fetch('other', {}, 1, 0);
    expect(first?.index).toBe(0);
    expect(await entries.byEntryId('acme', first?.entryId as string)).toBeUndefined();
    await expect(new TreeNodes(reader).rangeHashes('nobody', inclusionRanges(0, 4))).rejects.toThrow('the integrity log of nobody lacks its stored node');
  });

  it('lists entries by index range and ref, oldest first, and pages after a position', async () => {
    const entries = new LogEntryRepository(reader);
    const acme = await entries.fetch('acme', {}, 1000, 0);
    expect(acme.map((e) => e.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect((await entries.fetch('acme', { start: 2, end: 5 }, 1000, 0)).map((e) => e.index)).toEqual([2, 3, 4]);
    expect((await entries.fetch('acme', {}, 2, 0, entries.positionOf(acme[5]!))).map((e) => e.index)).toEqual([6, 7]);
    expect(await entries.fetch('acme', { ref: acme[3]!.ref }, 1000, 0)).toEqual([acme[3]]);
  });

  it('lists the keys that signed a log, most recently used first, under the origin they signed as', async () => {
    const seeds = [randomBytes(32), randomBytes(32)];
    await append('rotating', 1);
    await replica(signerWith(seeds[0]!)).execute();
    await append('rotating', 1);
    await replica(signerWith(seeds[1]!)).execute();
    await append('rotating', 1);
    await replica(signerWith(seeds[0]!)).execute();
    const used = await new CheckpointRepository(reader).keysUsed('rotating');
    expect(used.map((k) => describeKey(k.origin, k.publicKey))).toEqual([signerWith(seeds[0]!).key('rotating'), signerWith(seeds[1]!).key('rotating')]);
  });
});
