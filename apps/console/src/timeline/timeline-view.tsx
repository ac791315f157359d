import { useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ok } from '../api/client';
import { listPage, type ListPage } from '../api/link-header';
import type { AuditRecord } from '../api/types';
import { useApi } from '../common/api-context';
import { DownloadButtons, saveDownload, type DownloadFormat } from '../common/download-buttons';
import { ErrorAlert, Loading } from '../common/feedback';
import { Pager } from '../common/pager';
import { EmptyRow, OutcomeBadge, ScrollTable } from '../common/table';
import { TimeCell } from '../common/time';
import { TimeRangeField } from '../common/time-range-field';
import { usePageTitle } from '../common/page-title';
import { useRequest } from '../common/use-request';
import { usePinnedTime, useUrlState } from '../common/use-url-state';
import type { Paging } from '../common/url-state';
import { RecordDialog } from './record-dialog';
import { QUALIFIERS, formatSearch, parseSearch } from './search-query';
import { auditFilters, auditPageQuery, readTimelineState, writeTimelineState } from './timeline-url';

type Page = ListPage<AuditRecord>;

/**
 * The audit timeline (GET /v1/audit): search, time range, one page at a time, record
 * detail, downloads; all of it in the URL. The signed-in console and an embed link both
 * show it, each with its own client (useApi).
 */
export function TimelineView({ title, children }: { title: string; children?: ReactNode }) {
  usePageTitle(title);
  const api = useApi();
  const [state, go] = useUrlState(readTimelineState, writeTimelineState);
  const pinning = usePinnedTime(state, go);

  const { q, cursor, limit } = state;
  const { range, start, end } = state.time;
  const page = useMemo(() => auditPageQuery({ q, time: { range, start, end }, cursor, limit }), [q, range, start, end, cursor, limit]);
  const load = useMemo(
    () =>
      page.ok && !pinning
        ? (signal: AbortSignal): Promise<Page> =>
            ok(api.GET('/v1/audit', { params: { query: page.query }, signal })).then(listPage)
        : null,
    [api, page, pinning],
  );
  const { data, error, loading, reload } = useRequest(load);

  const download = (format: DownloadFormat) => {
    const filters = auditFilters(state);
    if (!filters.ok) return Promise.reject(new Error(filters.error));
    return saveDownload(
      api.GET('/v1/audit', { params: { query: { ...filters.query, download: 'true', format } }, parseAs: 'blob' }),
      `audit.${format}`,
    );
  };

  const opener = useRef<HTMLButtonElement | null>(null);
  const openRecord = (id: number, button: HTMLButtonElement) => {
    opener.current = button;
    go({ ...state, record: String(id) });
  };
  const closeRecord = () => {
    go({ ...state, record: undefined }, true);
    const button = opener.current;
    opener.current = null;
    if (button) requestAnimationFrame(() => button.focus());
  };
  const setPaging = (paging: Paging) => go({ ...state, ...paging, record: undefined });

  return (
    <>
      <h1 tabIndex={-1}>{title}</h1>
      {children}
      <div className="toolbar">
        <SearchForm q={state.q} urlError={page.ok ? null : page.error} onSearch={(text) => go({ ...state, q: text, cursor: undefined, record: undefined })} />
        <TimeRangeField value={state.time} onChange={(time) => go({ ...state, time, cursor: undefined, record: undefined })} />
        <DownloadButtons download={download} />
      </div>
      <Loading busy={loading} />
      <ErrorAlert error={error} onRetry={reload} />
      <ScrollTable caption="Audit timeline" className="timeline">
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Action</th>
            <th scope="col">Source</th>
            <th scope="col">Entity</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {!data ? null : data.rows.length === 0 ? (
            <EmptyRow columns={5}>No entries match.</EmptyRow>
          ) : (
            data.rows.map((r) => (
              <tr key={r.id}>
                <TimeCell iso={r.happenedAt} />
                <td>
                  <button type="button" className="link-button" onClick={(e) => openRecord(r.id, e.currentTarget)}>
                    {r.action}
                  </button>
                </td>
                <td>
                  {r.sourceName} <span className="muted">{r.sourceType}</span>
                </td>
                <td>
                  {r.entityType} <span className="muted">{r.entityName ?? r.entityId ?? ''}</span>
                </td>
                <td>
                  <OutcomeBadge success={r.success} />
                </td>
              </tr>
            ))
          )}
        </tbody>
      </ScrollTable>
      <Pager next={data?.next ?? null} paging={state} onPaging={setPaging} />
      {state.record ? (
        <RecordDialog recordId={state.record} record={data?.rows.find((r) => String(r.id) === state.record)} onClose={closeRecord} />
      ) : null}
    </>
  );
}

/** `Search`: qualifiers only; an error (bare words, unknown qualifier) shows under the box. */
function SearchForm({ q, urlError, onSearch }: { q: string; urlError: string | null; onSearch: (text: string) => void }) {
  const id = useId();
  const [text, setText] = useState(q);
  const [seen, setSeen] = useState(q);
  const [error, setError] = useState<string | null>(null);
  if (seen !== q) {
    setSeen(q);
    setText(q);
    setError(null);
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseSearch(text);
    if (!parsed.ok) return setError(parsed.error);
    setError(null);
    const normalised = formatSearch(parsed.filters);
    setText(normalised);
    onSearch(normalised);
  };
  const shown = error ?? urlError;
  return (
    <form role="search" className="search" onSubmit={submit}>
      <label htmlFor={`${id}-q`}>Search</label>
      <div className="search-row">
        <input
          id={`${id}-q`}
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={shown ? true : undefined}
          aria-describedby={`${id}-help${shown ? ` ${id}-error` : ''}`}
          placeholder='action:Delete source_name:"Jane Doe"'
          autoComplete="off"
          spellCheck={false}
        />
        <button type="submit">Search</button>
      </div>
      <p id={`${id}-help`} className="hint">
        Write qualifier:value with {QUALIFIERS.join(', ')}; quote values with spaces.
      </p>
      {shown ? (
        <p id={`${id}-error`} role="alert" className="field-error">
          {shown}
        </p>
      ) : null}
    </form>
  );
}
