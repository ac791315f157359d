import { useEffect, useId, useRef, useState } from 'react';

/**
 * A secret the API shows once (a new key, a runner token, an embed link): in a read-only
 * textbox, selected and focused, with a note that it will not be shown again.
 */
export function SecretOnce({ label, value, note, onDone }: { label: string; value: string; note: string; onDone: () => void }) {
  const id = useId();
  const ref = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, [value]);
  const copy = () => {
    navigator.clipboard?.writeText(value).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div className="secret-once">
      <label htmlFor={id}>{label}</label>
      <div className="secret-row">
        <input id={id} ref={ref} type="text" readOnly value={value} aria-describedby={`${id}-note`} spellCheck={false} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={copy}>
          Copy
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
      <p id={`${id}-note`} className="note">
        {note}
      </p>
      {copied ? (
        <p role="status" className="hint">
          Copied.
        </p>
      ) : null}
    </div>
  );
}
