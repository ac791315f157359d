/**
 * The V8 heap limit every service runs with, in MiB. Without one, V8 sizes the heap from the
 * machine's memory (up to 4 GiB here) and collects lazily: under load each service's resident
 * size grew past 300 MB although what it holds at any moment is far less
 * (docs/performance.md). 192 MiB leaves room for the largest input each service takes at once
 * (ingest: bodies of up to 1 MiB on its open connections; projector: a fetched batch plus two
 * transaction groups; query: a download's chunks); one figure serves all three, since their
 * measured peaks differ by less than the margin. docker-compose.yml and deploy/kubernetes
 * pass the same option, checked by their tests.
 */
export const HEAP_LIMIT_MB = 192;

/** The V8 option that sets the heap limit. */
export const HEAP_LIMIT_OPTION = `--max-old-space-size=${HEAP_LIMIT_MB}`;

const HEAP_OPTION = /(^|\s)--max-old-space-size[=\s]/;

/**
 * `NODE_OPTIONS` for a service: the operator's own options, with the heap limit added unless
 * they set one themselves (theirs wins).
 */
export function withHeapLimit(nodeOptions = ''): string {
  if (HEAP_OPTION.test(nodeOptions)) return nodeOptions;
  return [nodeOptions.trim(), HEAP_LIMIT_OPTION].filter(Boolean).join(' ');
}
