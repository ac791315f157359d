import { useId, useState, type FormEvent } from 'react';
import { ok } from '../api/client';
import { useWhoami } from '../auth/auth-context';
import { useApi } from '../common/api-context';
import { ErrorAlert, Loading } from '../common/feedback';
import { SecretOnce } from '../common/secret-once';
import { formatUtc } from '../common/format';
import { useAction } from '../common/use-action';

/**
 * Embed links (POST /v1/viewer-tokens): a read-only link to the tenant's timeline, or to one
 * source's entries, for an iframe in another product.
 */
export function EmbedLinks() {
  const api = useApi();
  const whoami = useWhoami();
  const id = useId();
  const root = whoami.kind === 'root';
  const [open, setOpen] = useState(false);
  const [minutes, setMinutes] = useState('15');
  const [sourceId, setSourceId] = useState('');
  const [tenant, setTenant] = useState('');
  const { busy, error, setError, run } = useAction();
  const [created, setCreated] = useState<{ url: string; expiresAt: string } | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const ttl = Number(minutes);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 1440) return setError(new Error('Valid for is a whole number of minutes from 1 to 1440.'));
    const body = {
      ttlSeconds: ttl * 60,
      ...(sourceId.trim() ? { sourceId: sourceId.trim() } : {}),
      ...(root ? { tenantId: tenant.trim() } : {}),
    };
    run(ok(api.POST('/v1/viewer-tokens', { body })), ({ data }) => {
      setOpen(false);
      setCreated({ url: data.url, expiresAt: data.expiresAt });
    });
  };

  return (
    <section className="embed-links" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Embed links</h2>
      <p className="hint">A read-only link to the timeline for an iframe in another product. It works until it expires or this key is revoked.</p>
      {open ? (
        <form className="panel" onSubmit={submit}>
          <div className="field">
            <label htmlFor={`${id}-ttl`}>Valid for (minutes)</label>
            <input id={`${id}-ttl`} type="number" min={1} max={1440} value={minutes} onChange={(e) => setMinutes(e.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor={`${id}-source`}>Only source id (optional)</label>
            <input id={`${id}-source`} type="text" value={sourceId} onChange={(e) => setSourceId(e.target.value)} maxLength={200} autoComplete="off" />
          </div>
          {root ? (
            <div className="field">
              <label htmlFor={`${id}-tenant`}>Tenant</label>
              <input id={`${id}-tenant`} type="text" value={tenant} onChange={(e) => setTenant(e.target.value)} required autoComplete="off" />
            </div>
          ) : null}
          <button type="submit" aria-disabled={busy}>
            Get link
          </button>
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => setOpen(true)}>
          New embed link
        </button>
      )}
      <Loading busy={busy} />
      <ErrorAlert error={error} />
      {created ? (
        <SecretOnce
          label="Embed URL"
          value={created.url}
          note={`Valid until ${formatUtc(created.expiresAt)} UTC. Anyone with the link can read this timeline until then; it will not be shown again.`}
          onDone={() => setCreated(null)}
        />
      ) : null}
    </section>
  );
}
