import { useId, useState, type FormEvent } from 'react';
import { RUN_FILTERS, RUN_STATUSES, type RunFilters } from './run-filters';

/** The labelled fields of the run filters and `Apply filters` (runs and insights). */
export function RunFilterForm({ filters, onApply }: { filters: RunFilters; onApply: (filters: RunFilters) => void }) {
  const id = useId();
  const key = JSON.stringify(filters);
  const [seen, setSeen] = useState(key);
  const [draft, setDraft] = useState<RunFilters>(filters);
  if (seen !== key) {
    setSeen(key);
    setDraft(filters);
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(draft);
  };
  const set = (param: keyof RunFilters, value: string) => setDraft((d) => ({ ...d, [param]: value }));
  const status = draft.status ?? '';
  const statusOptions: readonly string[] = (RUN_STATUSES as readonly string[]).includes(status) || status === '' ? RUN_STATUSES : [...RUN_STATUSES, status];
  return (
    <form className="filters" onSubmit={submit}>
      {RUN_FILTERS.map(({ param, label }) => (
        <div className="field" key={param}>
          <label htmlFor={`${id}-${param}`}>{label}</label>
          {param === 'status' ? (
            <select id={`${id}-${param}`} value={status} onChange={(e) => set('status', e.target.value)}>
              <option value="">Any</option>
              {statusOptions.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          ) : (
            <input
              id={`${id}-${param}`}
              type="text"
              value={draft[param] ?? ''}
              onChange={(e) => set(param, e.target.value)}
              inputMode={param === 'exit_code' ? 'numeric' : undefined}
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </div>
      ))}
      <div className="filters-actions">
        <button type="submit">Apply filters</button>
      </div>
    </form>
  );
}
