import { useId, useRef, useState, type FormEvent } from 'react';
import { ok } from '../api/client';
import { useApi } from '../common/api-context';
import { ErrorAlert, Loading, Notice } from '../common/feedback';
import { useAction } from '../common/use-action';
import { MAX_DAYS, parseDays, policySentence } from './retention-text';
import type { Retention, RetentionChange } from './retention-types';

/**
 * `Days to keep` and `Legal hold`, saved with `PUT /v1/retention`. `tenant` is the root key's
 * choice ('' for a tenant key, whose tenant the service knows). Mounted once the policy is
 * read, and starts from it.
 */
export function RetentionForm({ view, tenant, onSaved }: { view: Retention; tenant: string; onSaved: (view: Retention) => void }) {
  const api = useApi();
  const id = useId();
  const [days, setDays] = useState(String(view.days));
  const [legalHold, setLegalHold] = useState(view.legalHold);
  const [daysError, setDaysError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();
  const daysRef = useRef<HTMLInputElement>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setNotice(null);
    setError(null);
    const parsed = parseDays(days);
    if (!parsed.ok) {
      setDaysError(parsed.error);
      daysRef.current?.focus();
      return;
    }
    setDaysError(null);
    // Only what differs from the policy shown is sent (a field left out keeps its value): a
    // form opened earlier must not turn off a legal hold another admin has set meanwhile.
    const change: RetentionChange = {
      ...(parsed.days !== view.days ? { days: parsed.days } : {}),
      ...(legalHold !== view.legalHold ? { legalHold } : {}),
    };
    if (Object.keys(change).length === 0) {
      setNotice(`Nothing to save: this is the current policy. ${policySentence(view)}`);
      return;
    }
    run(ok(api.PUT('/v1/retention', { body: { ...change, ...(tenant ? { tenantId: tenant } : {}) } })), ({ data }) => {
      // The answer is the whole policy: the fields show it, with what others changed.
      setDays(String(data.days));
      setLegalHold(data.legalHold);
      setNotice(`Saved. ${policySentence(data)}`);
      onSaved(data);
    });
  };

  // The look of the New stream form (styles.css has no generic one): a bordered section, the
  // fields in a grid that stacks on a phone, the actions and the service's answer below them.
  return (
    <section className="stream-form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Change the policy</h2>
      {/* noValidate: the checks are the form's own (an alert by the field) and the service's (its 400 below), never a browser bubble. */}
      <form id={`${id}-form`} className="stream-fields" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-days`}>Days to keep</label>
          <input
            ref={daysRef}
            id={`${id}-days`}
            type="number"
            inputMode="numeric"
            min={0}
            max={MAX_DAYS}
            step={1}
            value={days}
            onChange={(e) => setDays(e.target.value)}
            required
            aria-invalid={daysError ? true : undefined}
            aria-describedby={`${id}-days-hint${daysError ? ` ${id}-days-error` : ''}`}
          />
          <p id={`${id}-days-hint`} className="hint">
            Whole days since an entry was received, up to {MAX_DAYS.toLocaleString('en-GB')}; 0 keeps entries forever (the default).
          </p>
          {daysError ? (
            <p id={`${id}-days-error`} role="alert" className="field-error">
              {daysError}
            </p>
          ) : null}
        </div>
        <div className="field">
          <div className="checkbox">
            <input id={`${id}-hold`} type="checkbox" checked={legalHold} onChange={(e) => setLegalHold(e.target.checked)} aria-describedby={`${id}-hold-hint`} />
            <label htmlFor={`${id}-hold`}>Legal hold</label>
          </div>
          <p id={`${id}-hold-hint`} className="hint">
            While on, retention removes nothing, neither on its schedule nor when applied now. It does not stop erasure of personal data.
          </p>
        </div>
      </form>
      <div className="form-actions">
        <button type="submit" form={`${id}-form`} aria-disabled={busy}>
          Save retention
        </button>
      </div>
      <Notice text={notice} />
      <Loading busy={busy} />
      <ErrorAlert error={error} />
    </section>
  );
}
