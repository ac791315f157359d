/**
 * The headers of the console's pages and files (the console spec, "Pages served by the
 * query service"). Only console routes carry them: the API answers JSON, and the
 * Swagger UI page at /docs needs inline scripts this policy forbids.
 */

/** `frame-ancestors` of every console page but `/embed`: no other site may frame them. */
export const NO_FRAMING = "'none'";

/** The Content-Security-Policy of a console page or file; `/embed` passes EMBED_FRAME_ANCESTORS. */
export function consoleCsp(frameAncestors = NO_FRAMING): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

export function securityHeaders(frameAncestors = NO_FRAMING): Record<string, string> {
  return {
    'Content-Security-Policy': consoleCsp(frameAncestors),
    'X-Content-Type-Options': 'nosniff',
    // The embed page's URL carries its viewer token: it must not travel on as a Referer.
    'Referrer-Policy': 'no-referrer',
  };
}

/** index.html is asked for again each time (it names the current hashed files); the hashed files never change. */
export const CACHE_CONTROL = {
  page: 'no-cache',
  asset: 'public, max-age=31536000, immutable',
} as const;
