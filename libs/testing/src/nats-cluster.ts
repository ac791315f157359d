import { StorageType, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { freePort } from '@runtrail/launcher';
import { NatsServerProcess } from './nats-server';

/**
 * A JetStream cluster of private nats-server processes on loopback (three by default), with
 * cluster routes between them, for the fault tests: a node can be killed (SIGKILL) and
 * started again with its store, and the leader of a stream found.
 */
export class NatsCluster {
  private constructor(readonly nodes: NatsServerProcess[]) {}

  static async start(size = 3): Promise<NatsCluster> {
    const routePorts = await Promise.all(Array.from({ length: size }, () => freePort()));
    const nodes: NatsServerProcess[] = [];
    for (let i = 0; i < size; i++) {
      const routes = routePorts.filter((_, j) => j !== i).map((p) => `"nats-route://127.0.0.1:${p}"`);
      nodes.push(
        await NatsServerProcess.create({
          config: `server_name: "n${i}"\ncluster {\n  name: "runtrail-test"\n  listen: "127.0.0.1:${routePorts[i]}"\n  routes: [${routes.join(', ')}]\n}\n`,
        }),
      );
    }
    const cluster = new NatsCluster(nodes);
    await Promise.all(nodes.map((n) => n.start()));
    await cluster.jetStreamReady();
    return cluster;
  }

  /** Every node's client URL, comma separated, as NATS_URL takes them. */
  get url(): string {
    return this.nodes.map((n) => n.url).join(',');
  }

  /**
   * Resolves once JetStream can place a stream on every node: its meta leader is elected and
   * knows every peer (answering alone is not enough: a stream at full replicas made then can
   * fail with "no suitable peers for placement"). Probed with a throwaway in-memory stream.
   */
  async jetStreamReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const probe = `ready_probe_${process.pid}`;
    for (;;) {
      try {
        const nc = await connect({ servers: this.url.split(','), timeout: 2000 });
        try {
          const jsm = await jetstreamManager(nc, { timeout: 2000 });
          await jsm.streams.add({ name: probe, subjects: [`${probe}.>`], storage: StorageType.Memory, num_replicas: this.nodes.length });
          await jsm.streams.delete(probe);
          return;
        } finally {
          await nc.close();
        }
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** The node that leads a stream now. */
  async leaderOf(stream: string): Promise<NatsServerProcess> {
    const nc = await connect({ servers: this.url.split(',') });
    try {
      const leader = (await (await jetstreamManager(nc)).streams.info(stream)).cluster?.leader;
      const node = this.nodes.find((_, i) => leader === `n${i}`);
      if (!node) throw new Error(`stream ${stream} has no leader`);
      return node;
    } finally {
      await nc.close();
    }
  }

  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.destroy()));
  }
}
