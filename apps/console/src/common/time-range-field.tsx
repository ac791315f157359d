import { useId, useState, type FormEvent } from 'react';
import { RANGE_OPTIONS, fromDateTimeLocal, presetStart, toDateTimeLocal, type RangeKey, type TimeRange } from './time-range';

/**
 * `Time range`: a preset applies at once; `Custom range` shows `From (UTC)` and `To (UTC)`
 * (datetime-local, read as UTC) and applies with `Apply range`.
 */
export function TimeRangeField({ value, onChange }: { value: TimeRange; onChange: (next: TimeRange) => void }) {
  const id = useId();
  const valueKey = `${value.range}|${value.start ?? ''}|${value.end ?? ''}`;
  const [seen, setSeen] = useState(valueKey);
  const [choice, setChoice] = useState<RangeKey>(value.range);
  const [from, setFrom] = useState(toDateTimeLocal(value.start));
  const [to, setTo] = useState(toDateTimeLocal(value.end));
  const [error, setError] = useState<string | null>(null);
  if (seen !== valueKey) {
    // The URL changed (applied here, or back/forward): show what it says.
    setSeen(valueKey);
    setChoice(value.range);
    setFrom(toDateTimeLocal(value.start));
    setTo(toDateTimeLocal(value.end));
    setError(null);
  }

  const choose = (next: RangeKey) => {
    setChoice(next);
    setError(null);
    if (next === 'any') onChange({ range: 'any' });
    else if (next !== 'custom') onChange({ range: next, start: presetStart(next) });
  };

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const start = from ? fromDateTimeLocal(from) : undefined;
    const end = to ? fromDateTimeLocal(to) : undefined;
    if (!start && !end) return setError('Give a From time, a To time or both.');
    if (start && end && Date.parse(start) > Date.parse(end)) return setError('From must not be after To.');
    setError(null);
    onChange({ range: 'custom', start, end });
  };

  return (
    <div className="time-range">
      <div className="field">
        <label htmlFor={`${id}-range`}>Time range</label>
        <select id={`${id}-range`} value={choice} onChange={(e) => choose(e.target.value as RangeKey)}>
          {RANGE_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      {choice === 'custom' ? (
        <form className="custom-range" onSubmit={apply} noValidate>
          <div className="field">
            <label htmlFor={`${id}-from`}>From (UTC)</label>
            <input id={`${id}-from`} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>To (UTC)</label>
            <input id={`${id}-to`} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
          </div>
          <button type="submit">Apply range</button>
          {error ? (
            <p role="alert" className="field-error">
              {error}
            </p>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
