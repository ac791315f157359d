const SCHEME = String.raw`[a-z][a-z0-9+.-]*:`;
const HOST_SOURCE = String.raw`(${SCHEME}//)?(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:(\d{1,5}|\*))?(/[A-Za-z0-9._~%!$&()*+=:@/-]*)?`;
const SOURCE = String.raw`(\*|'self'|${SCHEME}|${HOST_SOURCE})`;

/**
 * A CSP source list for `frame-ancestors`: `'none'` alone, or sources separated by one
 * space: `*`, `'self'`, schemes (`https:`), hosts with an optional scheme, `*.` wildcard,
 * port and path. Nothing that could end the directive (`;`, `,`) or the header.
 */
export const FRAME_ANCESTORS_PATTERN = new RegExp(`^('none'|${SOURCE}( ${SOURCE})*)$`);
