/** The HTTP server a service runs under Nest (ADR 0022): the ingest gateway Fastify, the others Express. */
export type HttpAdapterKind = 'express' | 'fastify';
