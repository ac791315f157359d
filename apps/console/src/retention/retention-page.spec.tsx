import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Whoami } from '../api/types';
import { apiError, json, renderConsole } from '../test/fake-api';
import { SAVED_AT, retention, retentionApi } from './test/retention-api';

const ROOT: Partial<Whoami> = { kind: 'root', name: 'root', tenantId: null, scopes: ['events:write', 'audit:read', 'runs:retrigger', 'runners:manage', 'admin'] };
const REMOVED = { upToIndex: 1200, upTo: '2026-09-01T00:00:00.000Z', at: '2026-12-01T03:00:00.000Z' };

const summary = () => screen.findByRole('region', { name: 'Current policy' });
const form = () => screen.getByRole('region', { name: 'Change the policy' });
const days = () => within(form()).getByRole('spinbutton', { name: 'Days to keep' });
const hold = () => within(form()).getByRole('checkbox', { name: 'Legal hold' });
const save = () => userEvent.click(within(form()).getByRole('button', { name: 'Save retention' }));
/** The value shown for `term` in the current policy, as text. */
const shown = async (term: string) => within(await summary()).getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;
const bodyOf = async (call: { body: Promise<string> } | undefined) => JSON.parse((await call?.body) ?? '') as unknown;

async function setDays(value: string) {
  await userEvent.clear(days());
  if (value) await userEvent.type(days(), value);
}

describe('retention', () => {
  it('shows the tenant’s policy, the default one kept forever, and starts the form from it', async () => {
    const api = retentionApi();
    renderConsole('/retention', api.fetch);
    expect(await screen.findByRole('heading', { level: 1, name: 'Retention' })).toBeInTheDocument();
    expect(await shown('Entries kept')).toBe('forever (the default)');
    expect(await shown('Legal hold')).toBe('off');
    expect(await shown('Last changed (UTC)')).toBe('never: the default policy');
    expect(await shown('Last removal')).toBe('none');
    expect(days()).toHaveValue(0);
    expect(days()).toHaveAccessibleDescription(expect.stringContaining('0 keeps entries forever'));
    expect(hold()).not.toBeChecked();
    expect(hold()).toHaveAccessibleDescription(expect.stringContaining('It does not stop erasure of personal data.'));
    // a tenant key names no tenant: the service knows its own
    expect(screen.queryByRole('textbox', { name: 'Tenant' })).toBeNull();
    expect(within(await summary()).queryByText('Tenant', { selector: 'dt' })).toBeNull();
    expect(api.calls('GET', '/v1/retention').map((c) => c.url.search)).toEqual(['']);
    expect(document.title).toBe('Retention · Runtrail');
  });

  it('shows the last removal: up to which log index and receipt time, and when', async () => {
    renderConsole('/retention', retentionApi(retention({ days: 90, updatedAt: SAVED_AT, removed: REMOVED })).fetch);
    expect(await shown('Last removal')).toBe('Removed entries before index 1200, received before 2026-09-01 00:00:00 UTC, on 2026-12-01 03:00:00 UTC.');
    expect(await shown('Entries kept')).toBe('90 days after they are received');
    expect(await shown('Last changed (UTC)')).toBe('2026-12-01 09:30:00');
  });

  it('saves days and legal hold, and shows the policy the service answered', async () => {
    const api = retentionApi();
    renderConsole('/retention', api.fetch);
    await summary();
    await setDays('90');
    await userEvent.click(hold());
    await save();
    expect(await screen.findByText('Saved. Entries are kept for 90 days; legal hold is on: retention removes nothing.')).toHaveAttribute('role', 'status');
    expect(await bodyOf(api.calls('PUT', '/v1/retention')[0])).toEqual({ days: 90, legalHold: true });
    expect(await shown('Entries kept')).toBe('90 days after they are received');
    expect(await shown('Legal hold')).toBe('on: retention removes nothing');
    expect(await shown('Last changed (UTC)')).toBe('2026-12-01 09:30:00');
    expect(within(form()).getByRole('button', { name: 'Save retention' })).toHaveFocus();
  });

  it('sends only what was changed, so a legal hold set meanwhile by another admin stays on', async () => {
    let stored = retention({ days: 30 });
    const api = retentionApi(stored, { scopes: ['admin'] }, {
      'PUT /v1/retention': async (request) => {
        // another admin set the hold after this page read the policy
        stored = { ...stored, legalHold: true, ...((await request.json()) as object), updatedAt: SAVED_AT };
        return json(stored);
      },
    });
    renderConsole('/retention', api.fetch);
    await summary();
    await setDays('60');
    await save();
    await screen.findByText(/^Saved\./);
    expect(await bodyOf(api.calls('PUT', '/v1/retention')[0])).toEqual({ days: 60 });
    // the form and the policy show the hold the service has
    expect(hold()).toBeChecked();
    expect(await shown('Legal hold')).toBe('on: retention removes nothing');
  });

  it('sends nothing when nothing was changed, and says so', async () => {
    const api = retentionApi(retention({ days: 30 }));
    renderConsole('/retention', api.fetch);
    await summary();
    await save();
    expect(await screen.findByText('Nothing to save: this is the current policy. Entries are kept for 30 days; legal hold is off.')).toHaveAttribute('role', 'status');
    expect(api.calls('PUT', '/v1/retention')).toHaveLength(0);
  });

  it('refuses an empty or fractional Days to keep by the field, and sends nothing', async () => {
    const api = retentionApi(retention({ days: 30 }));
    renderConsole('/retention', api.fetch);
    await summary();
    await setDays('');
    await save();
    const alert = within(form()).getByRole('alert');
    expect(alert).toHaveTextContent('Days to keep is a whole number of days: 0 keeps entries forever.');
    expect(days()).toHaveAttribute('aria-invalid', 'true');
    expect(days()).toHaveAccessibleDescription(expect.stringContaining('Days to keep is a whole number of days'));
    expect(days()).toHaveFocus();
    await setDays('1.5');
    await save();
    expect(within(form()).getByRole('alert')).toHaveTextContent('whole number');
    expect(api.calls('PUT', '/v1/retention')).toHaveLength(0);

    await setDays('7');
    await save();
    await screen.findByText(/^Saved\./);
    expect(within(form()).queryByRole('alert')).toBeNull();
    expect(days()).not.toHaveAttribute('aria-invalid');
  });

  it('shows the service’s 400 beside the form and keeps what was typed', async () => {
    const api = retentionApi();
    renderConsole('/retention', api.fetch);
    await summary();
    await setDays('40000');
    await userEvent.click(hold());
    await save();
    expect(await within(form()).findByRole('alert')).toHaveTextContent('days must be 0 to 36500');
    expect(days()).toHaveValue(40000);
    expect(hold()).toBeChecked();
    expect(screen.queryByText(/^Saved\./)).toBeNull();
    expect(await shown('Entries kept')).toBe('forever (the default)');
  });

  it('applies retention only after confirmation, says what was removed and reads the policy again', async () => {
    const api = retentionApi(retention({ days: 90, updatedAt: SAVED_AT }), { scopes: ['admin'] }, {}, { removed: 1234, upTo: '2026-09-02T00:00:00.000Z' });
    renderConsole('/retention', api.fetch);
    await summary();
    const apply = () => screen.getByRole('button', { name: 'Apply retention now' });
    await userEvent.click(apply());
    const confirm = screen.getByRole('button', { name: 'Confirm apply' });
    expect(confirm).toHaveFocus();
    expect(confirm).toHaveAccessibleDescription('Remove now the entries received more than 90 days ago? They cannot be brought back.');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(apply()).toHaveFocus());
    expect(api.calls('POST', '/v1/retention/apply')).toHaveLength(0);

    await userEvent.click(apply());
    await userEvent.click(screen.getByRole('button', { name: 'Confirm apply' }));
    expect(await screen.findByText('Removed 1,234 entries received before 2026-09-02 00:00:00 UTC.')).toHaveAttribute('role', 'status');
    expect(screen.queryByRole('button', { name: 'Confirm apply' })).toBeNull();
    await waitFor(() => expect(apply()).toHaveFocus());
    expect(api.calls('POST', '/v1/retention/apply')).toHaveLength(1);
    expect(await bodyOf(api.calls('POST', '/v1/retention/apply')[0])).toEqual({});
    await waitFor(() => expect(api.calls('GET', '/v1/retention')).toHaveLength(2));
  });

  it('says that nothing was removed under a legal hold', async () => {
    renderConsole('/retention', retentionApi(retention({ days: 1, legalHold: true })).fetch);
    await summary();
    await userEvent.click(screen.getByRole('button', { name: 'Apply retention now' }));
    expect(screen.getByRole('button', { name: 'Confirm apply' })).toHaveAccessibleDescription('Apply retention now? Nothing will be removed: legal hold is on.');
    await userEvent.click(screen.getByRole('button', { name: 'Confirm apply' }));
    expect(await screen.findByText('Nothing was removed: legal hold is on.')).toHaveAttribute('role', 'status');
  });

  it('shows the service’s message when applying fails, and keeps the confirmation', async () => {
    renderConsole('/retention', retentionApi(retention({ days: 1 }), { scopes: ['admin'] }, { 'POST /v1/retention/apply': apiError(409, 'a removal of acme is already running') }).fetch);
    await summary();
    await userEvent.click(screen.getByRole('button', { name: 'Apply retention now' }));
    await userEvent.click(screen.getByRole('button', { name: 'Confirm apply' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('a removal of acme is already running');
    expect(screen.getByRole('button', { name: 'Confirm apply' })).toBeInTheDocument();
    expect(screen.queryByText(/^Removed|^Nothing was removed/)).toBeNull();
  });

  it('asks the root key for the tenant first, keeps it in the URL and names it in every call', async () => {
    const api = retentionApi(retention({ tenantId: 'globex', days: 30 }), ROOT);
    renderConsole('/retention', api.fetch);
    const tenant = await screen.findByRole('textbox', { name: 'Tenant' });
    expect(tenant).toBeRequired();
    expect(screen.queryByRole('region', { name: 'Current policy' })).toBeNull();
    expect(api.calls('GET', '/v1/retention')).toHaveLength(0);

    await userEvent.type(tenant, 'globex');
    await userEvent.click(screen.getByRole('button', { name: 'Show retention' }));
    expect(await shown('Tenant')).toBe('globex');
    expect(await shown('Entries kept')).toBe('30 days after they are received');
    expect(screen.getByTestId('location')).toHaveTextContent('/retention?tenant=globex');
    expect(api.calls('GET', '/v1/retention').map((c) => c.url.searchParams.get('tenantId'))).toEqual(['globex']);

    await userEvent.click(hold());
    await save();
    await screen.findByText(/^Saved\./);
    expect(await bodyOf(api.calls('PUT', '/v1/retention')[0])).toEqual({ legalHold: true, tenantId: 'globex' });

    await userEvent.click(screen.getByRole('button', { name: 'Apply retention now' }));
    await userEvent.click(screen.getByRole('button', { name: 'Confirm apply' }));
    await screen.findByText('Nothing was removed: legal hold is on.');
    expect(await bodyOf(api.calls('POST', '/v1/retention/apply')[0])).toEqual({ tenantId: 'globex' });
  });

  it('opens the root key on the tenant of the URL, and another tenant starts a new form', async () => {
    const api = retentionApi(retention({ tenantId: 'globex', days: 30 }), ROOT);
    renderConsole('/retention?tenant=globex', api.fetch);
    expect(await shown('Tenant')).toBe('globex');
    expect(screen.getByRole('textbox', { name: 'Tenant' })).toHaveValue('globex');
    await setDays('45');

    await userEvent.clear(screen.getByRole('textbox', { name: 'Tenant' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Tenant' }), 'acme');
    await userEvent.click(screen.getByRole('button', { name: 'Show retention' }));
    await waitFor(async () => expect(await shown('Tenant')).toBe('acme'));
    expect(await shown('Entries kept')).toBe('forever (the default)');
    // nothing typed for globex is left in acme's form
    expect(days()).toHaveValue(0);
    expect(api.calls('GET', '/v1/retention').map((c) => c.url.searchParams.get('tenantId'))).toEqual(['globex', 'acme']);
  });

  it('lets a tenant key’s URL name no other tenant', async () => {
    const api = retentionApi();
    renderConsole('/retention?tenant=globex', api.fetch);
    expect(await shown('Entries kept')).toBe('forever (the default)');
    expect(api.calls('GET', '/v1/retention').map((c) => c.url.search)).toEqual(['']);
  });

  it('offers Retry when the service is unavailable', async () => {
    let up = false;
    const api = retentionApi(retention(), { scopes: ['admin'] }, {
      'GET /v1/retention': () => (up ? json(retention({ days: 7 })) : apiError(503, 'unavailable', { 'Retry-After': '5' })),
    });
    renderConsole('/retention', api.fetch);
    expect(await screen.findByRole('alert')).toHaveTextContent('The service is unavailable for a moment. Retry in 5 seconds.');
    up = true;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await shown('Entries kept')).toBe('7 days after they are received');
  });

  it('tells a key without admin that the view needs it, and asks nothing of the API', async () => {
    const api = retentionApi(retention(), { scopes: ['audit:read'] }, { 'GET /v1/audit': json([]) });
    renderConsole('/retention', api.fetch);
    expect(await screen.findByText('This key does not have the scope admin, which this view needs.')).toBeInTheDocument();
    expect(api.calls('GET', '/v1/retention')).toHaveLength(0);
  });
});
