import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ok } from '../api/client';
import type { CreateStream, Stream, StreamKind } from '../api/types';
import { useWhoami } from '../auth/auth-context';
import { useApi } from '../common/api-context';
import { ErrorAlert, Loading } from '../common/feedback';
import { TenantField } from '../common/tenant-field';
import type { TimeRange } from '../common/time-range';
import { TimeRangeField } from '../common/time-range-field';
import { useAction } from '../common/use-action';
import { QUALIFIERS } from '../timeline/search-query';
import { formatStreamFilter, streamFilterOf } from './stream-filter';
import { STREAM_KINDS, kindInfo } from './stream-kinds';

type From = CreateStream['from'];

/** What the stream will deliver, in words, as the form stands. */
function Preview({ search, time, from }: { search: string; time: TimeRange; from: From }) {
  const result = streamFilterOf(search, time);
  if (!result.ok) return <p className="hint">What the stream delivers shows here once the filter reads as a search.</p>;
  const text = formatStreamFilter(result.filter);
  const start = from === 'beginning' ? 'the tenant’s whole history first, then each new one' : 'stored from now on';
  return (
    <p>
      This stream delivers {text ? <>the entries matching <code>{text}</code></> : 'every entry of the tenant'}, {start}.
    </p>
  );
}

/**
 * `New stream` (scope admin): name, kind, target URL, the secret of the kinds that take one
 * (a password field, sent once and never shown again), where it starts, and which entries it
 * delivers, filtered with the timeline's search syntax and time range.
 */
export function StreamForm({ onCreated, onCancel }: { onCreated: (stream: Pick<Stream, 'id' | 'name'>) => void; onCancel: () => void }) {
  const api = useApi();
  const whoami = useWhoami();
  const id = useId();
  const root = whoami.kind === 'root';
  const [name, setName] = useState('');
  const [tenant, setTenant] = useState('');
  const [kind, setKind] = useState<StreamKind>('webhook');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [from, setFrom] = useState<From>('now');
  const [search, setSearch] = useState('');
  const [time, setTime] = useState<TimeRange>({ range: 'any' });
  const [filterError, setFilterError] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const nameRef = useRef<HTMLInputElement>(null);
  const filterRef = useRef<HTMLInputElement>(null);

  useEffect(() => nameRef.current?.focus(), []);

  const info = kindInfo(kind);
  const chooseKind = (next: StreamKind) => {
    setKind(next);
    // A secret typed for one kind is not kept for a kind that takes none (the API refuses it).
    if (!kindInfo(next).secret) setSecret('');
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const filter = streamFilterOf(search, time);
    if (!filter.ok) {
      setFilterError(filter.error);
      filterRef.current?.focus();
      return;
    }
    setFilterError(null);
    const tenantId = root ? tenant.trim() : '';
    const body: CreateStream = {
      name: name.trim(),
      kind,
      url: url.trim(),
      from,
      ...(info.secret ? { secret } : {}),
      ...(Object.keys(filter.filter).length > 0 ? { filter: filter.filter } : {}),
      ...(tenantId ? { tenantId } : {}),
    };
    run(ok(api.POST('/v1/streams', { body })), ({ data }) => onCreated(data));
  };

  return (
    <section className="stream-form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>New stream</h2>
      <form id={`${id}-form`} className="stream-fields" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input ref={nameRef} id={`${id}-name`} type="text" value={name} onChange={(e) => setName(e.target.value)} required maxLength={128} autoComplete="off" />
        </div>
        {root ? <TenantField id={`${id}-tenant`} value={tenant} onChange={setTenant} /> : null}
        <div className="field">
          <label htmlFor={`${id}-kind`}>Kind</label>
          <select id={`${id}-kind`} value={kind} onChange={(e) => chooseKind(e.target.value as StreamKind)}>
            {STREAM_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-url`}>URL</label>
          <input
            id={`${id}-url`}
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            required
            maxLength={2048}
            placeholder={info.urlPlaceholder}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={`${id}-url-hint`}
          />
          <p id={`${id}-url-hint`} className="hint">
            {info.urlHint}
          </p>
        </div>
        {info.secret ? (
          <div className="field">
            <label htmlFor={`${id}-secret`}>{info.secret.label}</label>
            <input
              id={`${id}-secret`}
              type="password"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              required
              maxLength={512}
              autoComplete="new-password"
              spellCheck={false}
              aria-describedby={`${id}-secret-hint`}
            />
            <p id={`${id}-secret-hint`} className="hint">
              {info.secret.hint}
            </p>
          </div>
        ) : null}
        <fieldset className="stream-from">
          <legend>Deliver</legend>
          <div className="checkbox">
            <input id={`${id}-from-now`} type="radio" name={`${id}-from`} value="now" checked={from === 'now'} onChange={() => setFrom('now')} />
            <label htmlFor={`${id}-from-now`}>From now on</label>
          </div>
          <div className="checkbox">
            <input id={`${id}-from-beginning`} type="radio" name={`${id}-from`} value="beginning" checked={from === 'beginning'} onChange={() => setFrom('beginning')} />
            <label htmlFor={`${id}-from-beginning`}>From the beginning (the tenant’s whole history first)</label>
          </div>
        </fieldset>
        <div className="field stream-filter">
          <label htmlFor={`${id}-filter`}>Filter</label>
          <input
            ref={filterRef}
            id={`${id}-filter`}
            type="text"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            aria-invalid={filterError ? true : undefined}
            aria-describedby={`${id}-filter-hint${filterError ? ` ${id}-filter-error` : ''}`}
            placeholder="entity_type:ActionRun success:false"
            autoComplete="off"
            spellCheck={false}
          />
          <p id={`${id}-filter-hint`} className="hint">
            As the timeline’s search: qualifier:value with {QUALIFIERS.join(', ')}; quote values with spaces. Empty: every entry.
          </p>
          {filterError ? (
            <p id={`${id}-filter-error`} role="alert" className="field-error">
              {filterError}
            </p>
          ) : null}
        </div>
      </form>
      {/* Outside the form: the custom range is a form of its own, and forms do not nest. */}
      <TimeRangeField value={time} onChange={setTime} />
      <p className="hint">The time range keeps the entries that happened within it, as on the timeline; a preset starts when it is chosen.</p>
      <div className="stream-preview" aria-live="polite">
        <Preview search={search} time={time} from={from} />
      </div>
      <div className="form-actions">
        <button type="submit" form={`${id}-form`} aria-disabled={busy}>
          Create stream
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <Loading busy={busy} />
      <ErrorAlert error={error} />
    </section>
  );
}
