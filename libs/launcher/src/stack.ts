import { SERVICE_NAMES, ServiceProcess, type ServiceName } from './service-process';

export interface StackOptions {
  env: NodeJS.ProcessEnv;
  ports: Record<ServiceName, number>;
  output?: 'inherit' | 'collect' | 'ignore';
  distDir?: string;
}

/** The three services together, as `npm start` runs them. */
export class Stack {
  readonly services: Record<ServiceName, ServiceProcess>;

  constructor(options: StackOptions) {
    this.services = Object.fromEntries(
      SERVICE_NAMES.map((name) => [
        name,
        new ServiceProcess({ name, port: options.ports[name], env: options.env, output: options.output, distDir: options.distDir }),
      ]),
    ) as Record<ServiceName, ServiceProcess>;
  }

  /**
   * Starts ingest first (it creates the stream and the key bucket, and may print a
   * generated root key), then the projector and query (which create the database and
   * migrate under an advisory lock).
   */
  async start(timeoutMs = 60_000): Promise<void> {
    this.services.ingest.start();
    await this.services.ingest.waitReady(timeoutMs);
    this.services.projector.start();
    this.services.query.start();
    await Promise.all([this.services.projector.waitReady(timeoutMs), this.services.query.waitReady(timeoutMs)]);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await Promise.all(SERVICE_NAMES.map((n) => this.services[n].stop(signal)));
  }

  urls(): Record<ServiceName, string> {
    return Object.fromEntries(SERVICE_NAMES.map((n) => [n, this.services[n].url])) as Record<ServiceName, string>;
  }
}
