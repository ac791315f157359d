import { useEffect, useRef } from 'react';

/** Puts the focus back on a row's button (marked data-action) once a confirmation is gone. */
export function refocusAction(action: string): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-action="${CSS.escape(action)}"]`)?.focus());
}

/**
 * The second step of a destructive act in a table row: `Confirm <verb>` and `Cancel`, shown
 * in place of the row's buttons; the confirm button takes the focus.
 */
export function ConfirmStep({ question, confirmLabel, busy, onConfirm, onCancel }: { question: string; confirmLabel: string; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <span className="confirm-step">
      <span>{question}</span>
      <button ref={ref} type="button" className="danger" aria-disabled={busy} onClick={() => !busy && onConfirm()}>
        {confirmLabel}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </span>
  );
}
