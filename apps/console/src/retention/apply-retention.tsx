import { useEffect, useId, useRef, useState } from 'react';
import { ok } from '../api/client';
import { useApi } from '../common/api-context';
import { ErrorAlert, Loading, Notice } from '../common/feedback';
import { useAction } from '../common/use-action';
import { appliedNotice, applyQuestion } from './retention-text';
import type { RetentionPolicy } from './retention-types';

/**
 * The second step of Apply, in place of its button: the question (what will go, and that it
 * cannot be undone) describes `Confirm apply`, which takes the focus, so a screen reader reads
 * it with the button (the shared ConfirmStep of table rows does not tie them).
 */
function ConfirmApply({ question, busy, onConfirm, onCancel }: { question: string; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const id = useId();
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="confirm-step">
      <span id={`${id}-question`}>{question}</span>
      <button ref={ref} type="button" className="danger" aria-describedby={`${id}-question`} aria-disabled={busy} onClick={() => !busy && onConfirm()}>
        Confirm apply
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/**
 * `Apply retention now` (`POST /v1/retention/apply`): removes at once what the saved policy
 * lets go, instead of at the service's next run. `tenant` is the root key's choice.
 */
export function ApplyRetention({ policy, tenant, onApplied }: { policy: RetentionPolicy; tenant: string; onApplied: () => void }) {
  const api = useApi();
  const id = useId();
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();
  const applyRef = useRef<HTMLButtonElement>(null);

  // The Apply button is back only after the confirmation has gone: focus it on the next frame.
  const refocus = () => requestAnimationFrame(() => applyRef.current?.focus());

  const apply = () => {
    // The notice words the answer with the policy it ran under (the page reads it again after).
    const under = { days: policy.days, legalHold: policy.legalHold };
    run(ok(api.POST('/v1/retention/apply', { body: tenant ? { tenantId: tenant } : {} })), ({ data }) => {
      setConfirming(false);
      setNotice(appliedNotice(data, under));
      refocus();
      onApplied();
    });
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Apply now</h2>
      <p className="hint">
        Retention runs daily by default; this removes now what the saved policy lets go. The integrity log keeps their leaf hashes: checkpoints and proofs stay valid.
      </p>
      {confirming ? (
        <ConfirmApply
          question={applyQuestion(policy)}
          busy={busy}
          onConfirm={apply}
          onCancel={() => {
            setConfirming(false);
            setError(null);
            refocus();
          }}
        />
      ) : (
        <button
          ref={applyRef}
          type="button"
          onClick={() => {
            setNotice(null);
            setConfirming(true);
          }}
        >
          Apply retention now
        </button>
      )}
      <Notice text={notice} />
      <Loading busy={busy} />
      <ErrorAlert error={error} />
    </section>
  );
}
