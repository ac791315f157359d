/**
 * What a log line may say about an error: its type, code and a bounded message.
 * Never the stack (the guide: no stack traces in logs) and never the extra fields
 * drivers attach (a TypeORM QueryFailedError carries the SQL and its parameters).
 */
export function errorFields(err: unknown): { type: string; code?: string; message: string } {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      type: err.name || err.constructor?.name || 'Error',
      ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
      message: err.message.slice(0, 300),
    };
  }
  if (typeof err === 'object' && err !== null) return objectFields(err as Record<string, unknown>);
  return { type: typeof err, message: String(err).slice(0, 300) };
}

/**
 * Something thrown that is not an Error (a library may reject with a status object): its
 * own message-like fields when it has them, else the names of its fields, never their
 * values, which could hold anything.
 */
function objectFields(o: Record<string, unknown>): { type: string; code?: string; message: string } {
  const text = (k: string) => (typeof o[k] === 'string' || typeof o[k] === 'number' ? String(o[k]) : undefined);
  const code = text('code') ?? text('status');
  const message = text('message') ?? text('description') ?? text('reason') ?? `an object with fields ${Object.keys(o).slice(0, 10).join(', ') || '(none)'}`;
  return { type: o.constructor?.name && o.constructor.name !== 'Object' ? o.constructor.name : 'object', ...(code ? { code } : {}), message: message.slice(0, 300) };
}
