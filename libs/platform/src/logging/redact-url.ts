/**
 * A request URL as it may be logged: the value of every `token` query parameter is
 * replaced, since the console's embed page carries a viewer token there
 * (`/embed?token=rtv_…`). Other parameters (filters, cursors) hold no secrets and stay.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  return url.slice(0, q) + url.slice(q).replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}
