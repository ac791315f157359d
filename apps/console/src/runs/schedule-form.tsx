import { MAX_CRON_LENGTH, timeZones } from '@runtrail/cron';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ok } from '../api/client';
import type { Schedule } from '../api/types';
import { useApi } from '../common/api-context';
import { ErrorAlert, Loading } from '../common/feedback';
import { formatInZone, formatUtc } from '../common/format';
import { fromDateTimeLocal } from '../common/time-range';
import { useAction } from '../common/use-action';
import { CRON_FIELDS, previewCron, type CronPreview } from './cron';
import { defaultTimeZone } from './time-zones';

interface Draft {
  cron: string;
  timezone: string;
  reason: string;
  runnerId: string;
  /** A datetime-local value, read as UTC (as the time range's fields are). */
  until: string;
}

function previewOf(draft: Draft, now: Date): CronPreview | null {
  if (!draft.cron.trim()) return null;
  const until = fromDateTimeLocal(draft.until);
  return previewCron(draft.cron, draft.timezone, now, until ? new Date(until) : undefined);
}

/** The reading and the next three fire times, or why the expression is refused. */
function Preview({ id, preview, timezone, ends }: { id: string; preview: CronPreview | null; timezone: string; ends: boolean }) {
  if (!preview) {
    return (
      <p id={`${id}-reading`} className="hint">
        The reading in words and the next three fire times show here as you type.
      </p>
    );
  }
  if (!preview.ok) {
    return (
      <p id={`${id}-reading`} className="field-error">
        {preview.error}
      </p>
    );
  }
  return (
    <>
      <p id={`${id}-reading`}>
        Reads: <strong>{preview.reading ?? 'no reading in words for this expression'}</strong> ({timezone})
      </p>
      <p id={`${id}-next`} className="preview-title">
        Next three fire times
      </p>
      {preview.next.length === 0 ? (
        <p className="hint">It would never fire{ends ? ' before its end' : ''}.</p>
      ) : (
        <ol aria-labelledby={`${id}-next`} className="fire-times">
          {preview.next.map((d) => (
            <li key={d.toISOString()}>
              <time dateTime={d.toISOString()}>{formatInZone(d, timezone)}</time> {timezone} <span className="muted">({formatUtc(d.toISOString())} UTC)</span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

/**
 * `New schedule` for a run (scope runs:retrigger): a cron expression read live in words with
 * its next three fire times (computed here by `@runtrail/cron`, the query service's own rule), a time zone (the
 * browser's by default), a reason, and optionally a runner and an end.
 */
export function ScheduleForm({ runId, onCreated, onCancel }: { runId: string; onCreated: (schedule: Schedule) => void; onCancel: () => void }) {
  const api = useApi();
  const id = useId();
  const [zones] = useState(timeZones);
  const [draft, setDraft] = useState<Draft>(() => ({ cron: '', timezone: defaultTimeZone(zones), reason: '', runnerId: '', until: '' }));
  const [preview, setPreview] = useState<CronPreview | null>(null);
  const { busy, error, run } = useAction();
  const cronRef = useRef<HTMLInputElement>(null);

  useEffect(() => cronRef.current?.focus(), []);

  // The preview follows every edit, from the moment of the edit.
  const update = (patch: Partial<Draft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    setPreview(previewOf(next, new Date()));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = previewOf(draft, new Date());
    setPreview(checked);
    if (busy || !checked?.ok || !draft.reason.trim()) {
      if (!checked?.ok) cronRef.current?.focus();
      return;
    }
    const until = fromDateTimeLocal(draft.until);
    const runnerId = draft.runnerId.trim();
    const body = {
      runId,
      cron: draft.cron.trim(),
      timezone: draft.timezone,
      reason: draft.reason.trim(),
      ...(runnerId ? { runnerId } : {}),
      ...(until ? { until } : {}),
    };
    run(ok(api.POST('/v1/schedules', { body })), ({ data }) => onCreated(data));
  };

  const invalid = preview !== null && !preview.ok;
  return (
    <form id={`${id}-form`} className="schedule-form" onSubmit={submit}>
      <div className="field">
        <label htmlFor={`${id}-cron`}>Cron expression</label>
        <input
          ref={cronRef}
          id={`${id}-cron`}
          type="text"
          value={draft.cron}
          onChange={(e) => update({ cron: e.target.value })}
          required
          maxLength={MAX_CRON_LENGTH}
          placeholder="30 2 * * 0"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={`${id}-cron-hint ${id}-reading`}
        />
        <p id={`${id}-cron-hint`} className="hint">
          Five fields: {CRON_FIELDS}.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-zone`}>Time zone</label>
        <select id={`${id}-zone`} value={draft.timezone} onChange={(e) => update({ timezone: e.target.value })}>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </div>
      <div className="cron-preview" aria-live="polite">
        <Preview id={id} preview={preview} timezone={draft.timezone} ends={fromDateTimeLocal(draft.until) !== undefined} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-reason`}>Schedule reason</label>
        <input
          id={`${id}-reason`}
          type="text"
          value={draft.reason}
          onChange={(e) => update({ reason: e.target.value })}
          required
          maxLength={1024}
          autoComplete="off"
          aria-describedby={`${id}-reason-hint`}
        />
        <p id={`${id}-reason-hint`} className="hint">
          Recorded with every firing, as a re-trigger's reason is.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-runner`}>Runner id (optional)</label>
        <input
          id={`${id}-runner`}
          type="text"
          value={draft.runnerId}
          onChange={(e) => update({ runnerId: e.target.value })}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={`${id}-runner-hint`}
        />
        <p id={`${id}-runner-hint`} className="hint">
          Left empty, each firing goes to an online runner that serves the run's workspace.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-until`}>Until (UTC, optional)</label>
        <input id={`${id}-until`} type="datetime-local" value={draft.until} onChange={(e) => update({ until: e.target.value })} />
      </div>
      <div className="form-actions">
        <button type="submit" aria-disabled={busy}>
          Create schedule
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <Loading busy={busy} />
      <ErrorAlert error={error} />
    </form>
  );
}
