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
  return { type: typeof err, message: String(err).slice(0, 300) };
}
