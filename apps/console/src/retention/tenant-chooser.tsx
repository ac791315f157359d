import { useId, useState, type FormEvent } from 'react';
import { TenantField } from '../common/tenant-field';

/**
 * The root key spans every tenant and must name the one whose retention it reads and
 * changes; `Show retention` puts it in the URL. The page keys this by the tenant, so Back and
 * Forward show the field as the URL has it.
 */
export function TenantChooser({ tenant, onChoose }: { tenant: string; onChoose: (tenant: string) => void }) {
  const id = useId();
  const [value, setValue] = useState(tenant);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onChoose(value.trim());
  };
  return (
    <>
      <p className="hint">The root key spans every tenant: name the tenant whose retention to see or change.</p>
      <form className="toolbar" aria-label="Choose the tenant" onSubmit={submit}>
        <TenantField id={`${id}-tenant`} value={value} onChange={setValue} />
        <button type="submit">Show retention</button>
      </form>
    </>
  );
}
