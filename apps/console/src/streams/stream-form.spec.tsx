import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, json, renderConsole } from '../test/fake-api';
import { stream, streamsApi } from '../test/streams';

const CREATED = stream({ id: '7e1a0000-0000-4000-8000-000000000009', name: 'alerts', lastDeliveredAt: null });

const created = () => json(CREATED, { status: 201 });
const form = () => screen.getByRole('region', { name: 'New stream' });
const bodyOf = async (call: { body: Promise<string> } | undefined) => JSON.parse((await call?.body) ?? '') as unknown;

async function openForm() {
  await userEvent.click(await screen.findByRole('button', { name: 'New stream' }));
  return form();
}

describe('new stream form', () => {
  it('asks a secret, as a password field, for webhook and splunk-hec only, and keeps none typed for another kind', async () => {
    renderConsole('/streams', streamsApi([]).fetch);
    const f = await openForm();
    const kind = within(f).getByRole('combobox', { name: 'Kind' });

    const webhookSecret = within(f).getByLabelText('Signing secret');
    expect(webhookSecret).toHaveAttribute('type', 'password');
    expect(webhookSecret).toBeRequired();
    await userEvent.type(webhookSecret, 'whsec-0123456789abcdef');

    await userEvent.selectOptions(kind, 'syslog');
    expect(within(f).queryByLabelText('Signing secret')).toBeNull();
    expect(within(f).queryByLabelText('HEC token')).toBeNull();
    await userEvent.selectOptions(kind, 'slack');
    expect(within(f).queryByLabelText('Signing secret')).toBeNull();
    expect(within(f).queryByLabelText('HEC token')).toBeNull();

    await userEvent.selectOptions(kind, 'splunk-hec');
    expect(within(f).getByLabelText('HEC token')).toHaveAttribute('type', 'password');
    expect(within(f).getByLabelText('HEC token')).toHaveValue('');

    await userEvent.selectOptions(kind, 'webhook');
    expect(within(f).getByLabelText('Signing secret')).toHaveValue('');
  });

  it('creates a webhook stream with its secret, start and the filter built like the timeline’s, then lists it', async () => {
    const api = streamsApi([], { scopes: ['admin'] }, { 'POST /v1/streams': created });
    renderConsole('/streams', api.fetch);
    const f = await openForm();
    await userEvent.type(within(f).getByRole('textbox', { name: 'Name' }), 'alerts');
    await userEvent.type(within(f).getByRole('textbox', { name: 'URL' }), 'https://hooks.example.com/runtrail');
    await userEvent.type(within(f).getByLabelText('Signing secret'), 'whsec-0123456789abcdef');
    await userEvent.click(within(f).getByRole('radio', { name: /From the beginning/ }));
    await userEvent.type(within(f).getByRole('textbox', { name: 'Filter' }), 'entity_type:ActionRun success:FALSE source_name:"Jane Doe"');
    await userEvent.selectOptions(within(f).getByRole('combobox', { name: 'Time range' }), 'custom');
    await userEvent.type(within(f).getByLabelText('From (UTC)'), '2026-11-01T00:00');
    await userEvent.click(within(f).getByRole('button', { name: 'Apply range' }));
    // what the stream will deliver, in the list's own words, before it is created
    expect(f).toHaveTextContent('the entries matching source_name="Jane Doe" entity_type=ActionRun success=false start=2026-11-01T00:00Z, the tenant’s whole history first');

    await userEvent.click(within(f).getByRole('button', { name: 'Create stream' }));
    expect(await screen.findByText('Created alerts.')).toHaveAttribute('role', 'status');
    expect(screen.queryByRole('region', { name: 'New stream' })).toBeNull();
    expect(await bodyOf(api.calls('POST', '/v1/streams')[0])).toEqual({
      name: 'alerts',
      kind: 'webhook',
      url: 'https://hooks.example.com/runtrail',
      secret: 'whsec-0123456789abcdef',
      from: 'beginning',
      filter: { entity_type: 'ActionRun', success: 'false', source_name: 'Jane Doe', start: '2026-11-01T00:00Z' },
    });
    // the list is read again, and the secret is nowhere on the page
    await waitFor(() => expect(api.calls('GET', '/v1/streams')).toHaveLength(2));
    expect(document.body.innerHTML).not.toContain('whsec-0123456789abcdef');
  });

  it('sends no secret and no filter for a syslog stream of every entry, from now on', async () => {
    const api = streamsApi([], { scopes: ['admin'] }, { 'POST /v1/streams': created });
    renderConsole('/streams', api.fetch);
    const f = await openForm();
    await userEvent.type(within(f).getByRole('textbox', { name: 'Name' }), 'rsyslog');
    await userEvent.selectOptions(within(f).getByRole('combobox', { name: 'Kind' }), 'syslog');
    await userEvent.type(within(f).getByRole('textbox', { name: 'URL' }), 'syslog+tls://logs.example.com:6514');
    expect(f).toHaveTextContent('This stream delivers every entry of the tenant, stored from now on.');
    await userEvent.click(within(f).getByRole('button', { name: 'Create stream' }));
    await screen.findByText('Created alerts.');
    expect(await bodyOf(api.calls('POST', '/v1/streams')[0])).toEqual({ name: 'rsyslog', kind: 'syslog', url: 'syslog+tls://logs.example.com:6514', from: 'now' });
  });

  it('shows a filter the search syntax refuses under the field, and sends nothing', async () => {
    const api = streamsApi([], { scopes: ['admin'] }, { 'POST /v1/streams': created });
    renderConsole('/streams', api.fetch);
    const f = await openForm();
    await userEvent.type(within(f).getByRole('textbox', { name: 'Name' }), 'alerts');
    await userEvent.selectOptions(within(f).getByRole('combobox', { name: 'Kind' }), 'slack');
    await userEvent.type(within(f).getByRole('textbox', { name: 'URL' }), 'https://hooks.slack.com/services/T0/B0/X');
    const filter = within(f).getByRole('textbox', { name: 'Filter' });
    await userEvent.type(filter, 'Project');
    await userEvent.click(within(f).getByRole('button', { name: 'Create stream' }));
    expect(within(f).getByRole('alert')).toHaveTextContent('“Project” is not a filter');
    expect(filter).toHaveAttribute('aria-invalid', 'true');
    expect(filter).toHaveAccessibleDescription(expect.stringContaining('“Project” is not a filter'));
    expect(filter).toHaveFocus();
    expect(api.calls('POST', '/v1/streams')).toHaveLength(0);
  });

  it('shows the service’s 400 messages in the form and keeps what was typed', async () => {
    const messages = ['secret of a webhook stream is required: its HMAC key, 16 characters or more', 'url of a webhook stream must be http:// or https://'];
    renderConsole('/streams', streamsApi([], { scopes: ['admin'] }, { 'POST /v1/streams': apiError(400, messages) }).fetch);
    const f = await openForm();
    await userEvent.type(within(f).getByRole('textbox', { name: 'Name' }), 'alerts');
    await userEvent.type(within(f).getByRole('textbox', { name: 'URL' }), 'ftp://siem.example.com/');
    await userEvent.type(within(f).getByLabelText('Signing secret'), 'short');
    await userEvent.click(within(f).getByRole('button', { name: 'Create stream' }));
    expect(await within(f).findByRole('alert')).toHaveTextContent(messages.join('; '));
    expect(within(f).getByRole('textbox', { name: 'Name' })).toHaveValue('alerts');
    expect(within(f).getByLabelText('Signing secret')).toHaveValue('short');
  });

  it('asks the root key for the tenant of the stream', async () => {
    const api = streamsApi([], { kind: 'root', name: 'root', tenantId: null, scopes: ['events:write', 'audit:read', 'runs:retrigger', 'runners:manage', 'admin'] }, { 'POST /v1/streams': created });
    renderConsole('/streams', api.fetch);
    const f = await openForm();
    await userEvent.type(within(f).getByRole('textbox', { name: 'Name' }), 'alerts');
    expect(within(f).getByRole('textbox', { name: 'Tenant' })).toBeRequired();
    await userEvent.type(within(f).getByRole('textbox', { name: 'Tenant' }), 'acme');
    await userEvent.selectOptions(within(f).getByRole('combobox', { name: 'Kind' }), 'slack');
    await userEvent.type(within(f).getByRole('textbox', { name: 'URL' }), 'https://hooks.slack.com/services/T0/B0/X');
    await userEvent.click(within(f).getByRole('button', { name: 'Create stream' }));
    await screen.findByText('Created alerts.');
    expect(await bodyOf(api.calls('POST', '/v1/streams')[0])).toMatchObject({ tenantId: 'acme', kind: 'slack' });
  });
});
