/** Where to reach NATS and how to log in: what `NATS_URL` says. */
export interface NatsServers {
  servers: string[];
  user?: string;
  pass?: string;
  token?: string;
}

/**
 * Reads the credentials out of `NATS_URL` entries (`nats://user:password@host:4222`, or
 * `nats://token@host:4222`), as other NATS clients do. nats.js ignores credentials in a
 * server URL, so without this a server with authorization (deploy/nats/accounts.conf)
 * could not be used at all. Every URL that carries credentials must carry the same ones;
 * the returned server URLs carry none, so they are safe to log.
 */
export function parseNatsServers(urls: readonly string[]): NatsServers {
  let auth: Pick<NatsServers, 'user' | 'pass' | 'token'> | undefined;
  const servers = urls.map((raw) => {
    if (!raw.includes('@')) return raw;
    const url = new URL(raw);
    const found = url.password
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : { token: decodeURIComponent(url.username) };
    if (auth && JSON.stringify(auth) !== JSON.stringify(found)) {
      throw new Error('NATS_URL: every server that carries credentials must carry the same ones');
    }
    auth = found;
    url.username = '';
    url.password = '';
    return url.toString();
  });
  return { servers, ...auth };
}
