import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import type { Hash } from '@runtrail/merkle';
import { repoRoot } from '@runtrail/testing';

/**
 * Go's golang.org/x/mod/sumdb/tlog and sumdb/note, as an oracle written by someone else:
 * `tools/tlog-crosscheck` (see its README) built once into a temporary directory and spoken
 * to over its line protocol. Debian's golang-go and golang-golang-x-mod-dev provide it, so
 * the build is offline.
 *
 * Hashes go in as Buffers (our library's) or standard base64 strings (what the service
 * answers), so a proof from `GET /v1/integrity/proof` can be passed as it came.
 */

/** Where Debian's golang-golang-x-mod-dev puts the sources that `go.mod` replaces x/mod with. */
const X_MOD = '/usr/share/gocode/src/golang.org/x/mod/sumdb/tlog';
/** Shared by every build on this machine (Go's cache is safe for concurrent use), outside the repository. */
const GO_CACHE = join(tmpdir(), 'runtrail-go-build-cache');
/** The first build after a Go upgrade compiles the standard library's crypto: allow for it in a `beforeAll`. */
export const GO_BUILD_TIMEOUT_MS = 180_000;

export type HashLike = Hash | string;

/** The verdict of one of Go's checkers; `reason` is Go's error text. */
export type Verdict = { valid: true } | { valid: false; reason: string };

/** An inclusion proof, named as `GET /v1/integrity/proof` names it, with the root it should lead to. */
export interface InclusionCheck {
  index: number;
  size: number;
  leafHash: HashLike;
  hashes: readonly HashLike[];
  root: HashLike;
}

/** A consistency proof, named as `GET /v1/integrity/consistency` names it, with both roots. */
export interface ConsistencyCheck {
  from: number;
  to: number;
  hashes: readonly HashLike[];
  fromRoot: HashLike;
  toRoot: HashLike;
}

export interface Signer {
  name: string;
  /** The key hash, as 8 hex digits. */
  keyId: string;
}

export type OpenedNote = { valid: true; text: string; signatures: Signer[]; unverified: Signer[] } | { valid: false; reason: string };

/** A checkpoint note as Go reads it, its fields named as `GET /v1/integrity/checkpoint` names them. */
export type CheckedCheckpoint = { valid: true; origin: string; size: number; rootHash: string; signatures: Signer[] } | { valid: false; reason: string };

type Answer = Record<string, unknown>;

const b64 = (h: HashLike): string => (typeof h === 'string' ? h : h.toString('base64'));
const hashes = (list: unknown): Hash[] => (list as string[]).map((h) => Buffer.from(h, 'base64'));

export class GoTlog {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  private stderr = '';
  private readonly exited: Promise<unknown>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly dir: string,
  ) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const { id, error, ...answer } = JSON.parse(line) as Answer & { id: number; error?: string };
      const waiting = this.pending.get(id);
      this.pending.delete(id);
      if (error !== undefined) waiting?.reject(new Error(`tlog-crosscheck: ${error}`));
      else waiting?.resolve(answer);
    });
    child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = once(child, 'exit').then(([code]) => {
      for (const { reject } of this.pending.values()) reject(new Error(`tlog-crosscheck exited (${String(code)}): ${this.stderr}`));
      this.pending.clear();
    });
  }

  /** Builds `tools/tlog-crosscheck` into a temporary directory and starts it. */
  static async start(): Promise<GoTlog> {
    if (!existsSync(X_MOD)) throw new Error(`${X_MOD} is missing: apt-get install golang-go golang-golang-x-mod-dev`);
    const dir = mkdtempSync(join(tmpdir(), 'runtrail-tlog-crosscheck-'));
    try {
      const source = join(repoRoot(), 'tools/tlog-crosscheck');
      // A copy of go.mod, so that whatever Go wants to record in it or in go.sum stays out of the repository.
      copyFileSync(join(source, 'go.mod'), join(dir, 'go.mod'));
      const binary = join(dir, 'tlog-crosscheck');
      await promisify(execFile)('go', ['build', `-modfile=${join(dir, 'go.mod')}`, '-o', binary, '.'], {
        cwd: source,
        env: {
          ...process.env,
          // Offline: the replace in go.mod points at Debian's sources, and nothing may be fetched.
          GO111MODULE: 'on',
          GOFLAGS: '-mod=mod',
          GOPROXY: 'off',
          GOSUMDB: 'off',
          GOWORK: 'off',
          GOTOOLCHAIN: 'local',
          CGO_ENABLED: '0',
          GOPATH: join(dir, 'gopath'),
          GOCACHE: GO_CACHE,
        },
      });
      return new GoTlog(spawn(binary, [], { stdio: 'pipe' }), dir);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    await this.exited;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private call(op: string, args: Record<string, unknown>): Promise<Answer> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin.write(`${JSON.stringify({ ...args, id, op })}\n`);
    });
  }

  /** tlog.RecordHash of each record. */
  async recordHashes(records: readonly Uint8Array[]): Promise<Hash[]> {
    return hashes((await this.call('recordHashes', { records: records.map((r) => Buffer.from(r).toString('base64')) })).hashes);
  }

  /**
   * tlog.TreeHash at every size from 0 to `leaves.length` (index = size), from the hashes
   * tlog.StoredHashes keeps when the leaves are appended one by one. Go defines the root of
   * the empty tree as 32 zero bytes where RFC 9162 says SHA-256 of nothing.
   */
  async roots(leaves: readonly HashLike[]): Promise<Hash[]> {
    return hashes((await this.call('roots', { leaves: leaves.map(b64) })).roots);
  }

  /** tlog.ProveRecord: the inclusion proof of leaf `index` in the first `size` of `leaves`. */
  async inclusionProof(leaves: readonly HashLike[], index: number, size = leaves.length): Promise<Hash[]> {
    return hashes((await this.call('inclusion', { leaves: leaves.map(b64), index, size })).hashes);
  }

  /** tlog.ProveTree: the proof that the first `to` of `leaves` extend the first `from`. */
  async consistencyProof(leaves: readonly HashLike[], from: number, to = leaves.length): Promise<Hash[]> {
    return hashes((await this.call('consistency', { leaves: leaves.map(b64), from, to })).hashes);
  }

  /** tlog.CheckRecord. */
  async checkRecord(p: InclusionCheck): Promise<Verdict> {
    const { valid, reason } = await this.call('checkRecord', { ...p, leafHash: b64(p.leafHash), hashes: p.hashes.map(b64), root: b64(p.root) });
    return valid ? { valid: true } : { valid: false, reason: reason as string };
  }

  /** tlog.CheckTree. */
  async checkTree(p: ConsistencyCheck): Promise<Verdict> {
    const args = { ...p, hashes: p.hashes.map(b64), fromRoot: b64(p.fromRoot), toRoot: b64(p.toRoot) };
    const { valid, reason } = await this.call('checkTree', args);
    return valid ? { valid: true } : { valid: false, reason: reason as string };
  }

  /** note.NewVerifier: the key's name and key hash, or why Go refuses the key. */
  async verifier(verifierKey: string): Promise<(Signer & { valid: true }) | { valid: false; reason: string }> {
    return (await this.call('verifier', { verifierKey })) as (Signer & { valid: true }) | { valid: false; reason: string };
  }

  /** note.Open with note.NewVerifier of each key (a key Go refuses makes the note invalid too, with that reason). */
  async openNote(note: string, verifierKeys: readonly string[]): Promise<OpenedNote> {
    return (await this.call('openNote', { note, verifierKeys })) as OpenedNote;
  }

  /**
   * A checkpoint note opened by note.Open with `verifierKey`, its text read by tlog.ParseTree
   * (size and root), and its origin line required to be the key's name, as CONTRACT §6 has
   * it. For checking the service's checkpoints: `expect(await go.verifyCheckpoint(key,
   * note)).toMatchObject({ valid: true, size })`.
   */
  async verifyCheckpoint(verifierKey: string, note: string): Promise<CheckedCheckpoint> {
    const { root, ...answer } = await this.call('checkpoint', { note, verifierKeys: [verifierKey] });
    if (!answer.valid) return answer as CheckedCheckpoint;
    const checked = { ...answer, rootHash: root } as CheckedCheckpoint & { valid: true };
    const name = verifierKey.slice(0, verifierKey.indexOf('+'));
    if (checked.origin !== name) return { valid: false, reason: `origin ${JSON.stringify(checked.origin)} is not the key's name ${JSON.stringify(name)}` };
    return checked;
  }

  /** A note signed with a key note.GenerateKey made just now, and that key's verifier key. */
  async signNote(name: string, text: string): Promise<{ note: string; verifierKey: string }> {
    const { note, verifierKey } = await this.call('signNote', { name, text });
    return { note: note as string, verifierKey: verifierKey as string };
  }
}
