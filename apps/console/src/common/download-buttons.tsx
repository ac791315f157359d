import { useState } from 'react';
import { ok } from '../api/client';
import { fileNameFromDisposition, saveBlob } from '../api/download';
import { ErrorAlert, Loading } from './feedback';

export type DownloadFormat = 'csv' | 'json';

/** A download answer saved under the name the API gives it (Content-Disposition). */
export async function saveDownload(call: Promise<{ data?: Blob; error?: unknown; response: Response }>, fallbackName: string): Promise<string> {
  const { data, response } = await ok(call);
  const name = fileNameFromDisposition(response.headers.get('Content-Disposition'), fallbackName);
  saveBlob(data, name);
  return name;
}

/** `Download CSV` and `Download JSON`: the whole set the current filters match, through the API. */
export function DownloadButtons({ download }: { download: (format: DownloadFormat) => Promise<unknown> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = (format: DownloadFormat) => {
    setBusy(true);
    setError(null);
    download(format).then(
      () => setBusy(false),
      (err: unknown) => {
        setBusy(false);
        setError(err);
      },
    );
  };
  return (
    <div className="downloads">
      <button type="button" aria-disabled={busy} onClick={() => !busy && run('csv')}>
        Download CSV
      </button>
      <button type="button" aria-disabled={busy} onClick={() => !busy && run('json')}>
        Download JSON
      </button>
      <Loading busy={busy} />
      <ErrorAlert error={error} />
    </div>
  );
}
