import { useId, useState, type FormEvent } from 'react';
import type { FilterField, Filters } from './filters';

/**
 * The labelled fields of a list's filters and `Apply filters`. A select also shows a value
 * from the URL that is not among its choices.
 */
export function FilterForm<P extends string>({
  fields,
  filters,
  onApply,
}: {
  fields: readonly FilterField<P>[];
  filters: Filters<P>;
  onApply: (filters: Filters<P>) => void;
}) {
  const id = useId();
  const key = JSON.stringify(filters);
  const [seen, setSeen] = useState(key);
  const [draft, setDraft] = useState(filters);
  if (seen !== key) {
    setSeen(key);
    setDraft(filters);
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(draft);
  };
  const set = (param: P, value: string) => setDraft((d) => ({ ...d, [param]: value }));
  return (
    <form className="filters" onSubmit={submit}>
      {fields.map(({ param, label, choices, numeric }) => {
        const value = draft[param] ?? '';
        return (
          <div className="field" key={param}>
            <label htmlFor={`${id}-${param}`}>{label}</label>
            {choices ? (
              <select id={`${id}-${param}`} value={value} onChange={(e) => set(param, e.target.value)}>
                {(choices.some((c) => c.value === value) ? choices : [...choices, { value, text: value }]).map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.text}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={`${id}-${param}`}
                type="text"
                value={value}
                onChange={(e) => set(param, e.target.value)}
                inputMode={numeric ? 'numeric' : undefined}
                autoComplete="off"
                spellCheck={false}
              />
            )}
          </div>
        );
      })}
      <div className="filters-actions">
        <button type="submit">Apply filters</button>
      </div>
    </form>
  );
}
