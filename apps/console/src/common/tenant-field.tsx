/**
 * The tenant a root-key form acts on (the root key spans every tenant and must name one):
 * a slug, as the API takes it. Tenant keys never see it.
 */
export function TenantField({ id, value, onChange }: { id: string; value: string; onChange: (value: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>Tenant</label>
      <input id={id} type="text" value={value} onChange={(e) => onChange(e.target.value)} required pattern="[a-z0-9][a-z0-9\-]{0,62}" autoComplete="off" spellCheck={false} />
    </div>
  );
}
