/** The validation messages `fn` is refused with; fails the test when it is not refused. */
export function refusal(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return (err as { messages?: unknown }).messages;
  }
  throw new Error('not refused');
}
