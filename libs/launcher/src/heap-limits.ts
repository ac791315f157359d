import type { ServiceName } from './service-process';

/**
 * Each service's V8 heap limit, in MiB. Without one, V8 sizes the heap from the machine's
 * memory (up to 4 GiB here) and collects lazily: under load each service's resident size
 * grew past 300 MB although what it holds at any moment is far less (docs/performance.md).
 * The limit is the live peak measured under the benchmark's loads, with room for the
 * largest input each service takes at once (ingest: bodies of up to 1 MiB on every open
 * connection; projector: a fetched batch plus two transaction groups; query: a download's
 * chunks). The same figures are in docker-compose.yml and deploy/kubernetes, checked by
 * their tests.
 */
export const HEAP_LIMIT_MB: Readonly<Record<ServiceName, number>> = {
  ingest: 192,
  projector: 192,
  query: 192,
};

const HEAP_OPTION = /(^|\s)--max-old-space-size[=\s]/;

/** The V8 option that sets `name`'s heap limit. */
export function heapLimitOption(name: ServiceName): string {
  return `--max-old-space-size=${HEAP_LIMIT_MB[name]}`;
}

/**
 * `NODE_OPTIONS` for a service: the operator's own options, with the service's heap limit
 * added unless they set one themselves (theirs wins).
 */
export function withHeapLimit(name: ServiceName, nodeOptions = ''): string {
  if (HEAP_OPTION.test(nodeOptions)) return nodeOptions;
  return [nodeOptions.trim(), heapLimitOption(name)].filter(Boolean).join(' ');
}
