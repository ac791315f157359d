import { randomUUID } from 'node:crypto';
import { checkView, eventually, request, retryUntil } from '@runtrail/testing';
import { RunnerAgent } from './runner-agent';
import { columnHeaders, dataRows, describedValue, openSignedIn, useConsole } from './support';

jest.setTimeout(90_000);

interface RunView {
  id: string;
  status: string;
  retriggeredFrom: string | null;
  retriggers?: { commandId: string; status: string; newRunId: string | null }[];
}
interface ScheduleView {
  id: string;
  cron: string;
  timezone: string;
  paused: boolean;
  nextFireAt: string | null;
}
interface CommandView {
  id: string;
  status: string;
  newRunId: string | null;
  reason: string | null;
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

/** Runs, a run and its re-trigger with a real runner agent, insights, deployments, runners (console spec). */
describe('console: runs, re-trigger, insights, deployments, runners', () => {
  const c = useConsole('consoleruns');
  let operator: string;
  let reader: string;
  let agent: RunnerAgent | undefined;
  let runner: { id: string; token: string };
  const failedRun = randomUUID();
  const scheduledRun = randomUUID();

  async function report(body: Record<string, unknown>): Promise<void> {
    const res = await request('POST', `${c.t.ingestUrl}/v1/action-runs`, { key: operator, body });
    if (res.status !== 202) throw new Error(`run report: ${res.status} ${res.text}`);
  }

  function run(block: string, version: string, action: string, workspace: string, status: 'successful' | 'failed', startedHoursAgo: number, durationMs: number, id = randomUUID()) {
    const started = hoursAgo(startedHoursAgo);
    return {
      id,
      workspace: { name: workspace, organization: 'acme' },
      block: { name: block, from: `cargo.ayedo.cloud/ayedo/infra/${block}:${version}` },
      action,
      status,
      startedAt: started.toISOString(),
      finishedAt: new Date(started.getTime() + durationMs).toISOString(),
      durationMs,
      exitCode: status === 'successful' ? 0 : 2,
      hostname: 'ci-runner-01',
      osUser: 'gitlab-runner',
      cliVersion: '1.6.0',
    };
  }

  beforeAll(async () => {
    operator = (await c.t.issueKey({ tenantId: 'acme', name: 'operator', principalType: 'User', scopes: ['events:write', 'audit:read', 'runs:retrigger', 'runners:manage'] })).key;
    reader = (await c.t.issueKey({ tenantId: 'acme', name: 'auditor', principalType: 'User', scopes: ['audit:read'] })).key;
    const seeded = [
      run('nginx', '1.25.3', 'deploy', 'acme-prod', 'failed', 2, 65_000, failedRun),
      run('nginx', '1.25.3', 'deploy', 'acme-prod', 'successful', 30, 850),
      run('nginx', '1.25.2', 'deploy', 'acme-staging', 'successful', 50, 42_000),
      run('postgres', '16.2.0', 'backup', 'acme-prod', 'successful', 26, 125_000, scheduledRun),
      run('postgres', '16.1.0', 'backup', 'acme-staging', 'failed', 75, 3_000),
    ];
    for (const r of seeded) await report(r);
    await eventually(async () => {
      const res = await request<RunView[]>('GET', `${c.t.queryUrl}/v1/action-runs?limit=100`, { key: reader });
      return res.body.length === seeded.length ? true : undefined;
    }, 30_000, 'the seeded runs to be stored');
    const registered = await request<{ id: string; token: string }>('POST', `${c.t.queryUrl}/v1/runners`, { key: operator, body: { name: 'acme-ci', workspaces: ['acme-prod'] } });
    expect(registered.status).toBe(201);
    runner = registered.body;
    agent = RunnerAgent.start(c.t, runner.token);
    await eventually(async () => {
      const list = await request<{ id: string; online: boolean }[]>('GET', `${c.t.queryUrl}/v1/runners`, { key: operator });
      return list.body.find((r) => r.id === runner.id)?.online ? true : undefined;
    }, 30_000, `the runner agent to come online; its stderr:\n${agent.stderr}`);
  }, 90_000);

  afterAll(async () => {
    await agent?.stop();
  });

  it('lists runs with their filters, and finds the failed one by status', async () => {
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, operator, '/timeline');
    await s.page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link', { name: 'Runs', exact: true }).click();
    await s.page.getByRole('heading', { level: 1, name: 'Runs', exact: true }).waitFor();
    expect(await columnHeaders(s.page, 'Action runs')).toEqual(['Started (UTC)', 'Block', 'Action', 'Status', 'Duration', 'Host', 'Correlation']);
    await retryUntil(async () => expect(await dataRows(s.page, 'Action runs').count()).toBe(5));
    const rows = await dataRows(s.page, 'Action runs').allInnerTexts();
    // newest first (2 h, 26 h, 30 h, 50 h, 75 h ago); durations as people read them
    expect(rows[0]).toMatch(/nginx[\s\S]*deploy[\s\S]*failed[\s\S]*1 m 05 s[\s\S]*ci-runner-01/);
    expect(rows[1]).toMatch(/postgres[\s\S]*backup[\s\S]*successful[\s\S]*2 m 05 s/);
    expect(rows[2]).toMatch(/nginx[\s\S]*deploy[\s\S]*successful[\s\S]*850 ms/);
    expect(rows[4]).toMatch(/postgres[\s\S]*backup[\s\S]*failed[\s\S]*3 s/);
    for (const label of ['Block', 'Action', 'Workspace', 'Host']) expect(await s.page.getByLabel(label, { exact: true }).count()).toBe(1);
    await checkView(s.page, 'runs');

    const status = s.page.getByRole('combobox', { name: 'Status', exact: true });
    expect((await status.getByRole('option').allInnerTexts()).map((o) => o.trim())).toEqual(expect.arrayContaining(['Any', 'running', 'successful', 'failed']));
    await status.selectOption('failed');
    await s.page.getByLabel('Block', { exact: true }).fill('nginx');
    await s.page.getByRole('button', { name: 'Apply filters', exact: true }).click();
    await retryUntil(async () => {
      const filtered = await dataRows(s.page, 'Action runs').allInnerTexts();
      expect(filtered).toHaveLength(1);
      expect(filtered[0]).toContain('failed');
    });
    const url = new URL(s.page.url());
    expect(url.searchParams.get('status')).toBe('failed');
    expect(url.searchParams.get('block')).toBe('nginx');

    await dataRows(s.page, 'Action runs').getByRole('link').first().click();
    await s.page.waitForURL(`${c.t.queryUrl}/runs/${failedRun}`);
    await s.page.getByRole('heading', { level: 1, name: 'Run nginx deploy', exact: true }).waitFor();
  });

  it('re-triggers a failed run through a real runner agent and links the new run both ways', async () => {
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, operator, `/runs/${failedRun}`);
    await s.page.getByRole('heading', { level: 1, name: 'Run nginx deploy', exact: true }).waitFor();
    await retryUntil(async () => expect((await describedValue(s.page, 'Status').innerText()).trim()).toBe('failed'));
    expect((await describedValue(s.page, 'Exit code').innerText()).trim()).toBe('2');
    expect((await describedValue(s.page, 'Workspace').innerText()).trim()).toBe('acme-prod');
    expect((await describedValue(s.page, 'Version').innerText()).trim()).toBe('1.25.3');
    expect((await describedValue(s.page, 'Host').innerText()).trim()).toBe('ci-runner-01');
    expect((await describedValue(s.page, 'Duration').innerText()).trim()).toBe('1 m 05 s');
    expect(await s.page.getByRole('link', { name: 'Re-triggered from', exact: true }).count()).toBe(0);
    await checkView(s.page, 'run');

    await s.page.getByRole('button', { name: 'Re-trigger', exact: true }).click();
    const reason = s.page.getByRole('textbox', { name: 'Reason', exact: true });
    expect(await reason.getAttribute('required')).not.toBeNull();
    await reason.fill('registry timeout, retry from the console');
    await checkView(s.page, 'run-retrigger');
    await s.page.getByRole('button', { name: 'Confirm re-trigger', exact: true }).click();

    const progress = s.page.getByRole('status', { name: 'Command progress', exact: true });
    await progress.waitFor();
    const final = await retryUntil(async () => {
      const text = await progress.innerText();
      expect(text).toMatch(/\b(succeeded|failed|expired)\b/);
      return text;
    }, 60_000);
    expect(final).toMatch(/\bsucceeded\b/);

    const commands = await request<CommandView[]>('GET', `${c.t.queryUrl}/v1/commands?run_id=${failedRun}`, { key: operator });
    expect(commands.body).toHaveLength(1);
    expect(commands.body[0]).toMatchObject({ status: 'succeeded', reason: 'registry timeout, retry from the console', newRunId: expect.any(String) });
    const newRun = String(commands.body[0].newRunId);
    // the new run reaches the query tables through the projector; open it once it is there
    await eventually(async () => ((await request('GET', `${c.t.queryUrl}/v1/action-runs/${newRun}`, { key: operator })).status === 200 ? true : undefined), 30_000, 'the new run to be stored');

    const newRunLink = s.page.getByRole('link', { name: 'New run', exact: true });
    expect(await newRunLink.getAttribute('href')).toBe(`/runs/${newRun}`);
    await newRunLink.click();
    await s.page.waitForURL(`${c.t.queryUrl}/runs/${newRun}`);
    await s.page.getByRole('heading', { level: 1, name: 'Run nginx deploy', exact: true }).waitFor();
    await retryUntil(async () => expect((await describedValue(s.page, 'Status').innerText()).trim()).toBe('successful'));
    const back = s.page.getByRole('link', { name: 'Re-triggered from', exact: true });
    expect(await back.getAttribute('href')).toBe(`/runs/${failedRun}`);

    await back.click();
    await s.page.waitForURL(`${c.t.queryUrl}/runs/${failedRun}`);
    await retryUntil(async () => {
      const links = s.page.getByRole('table', { name: 'Re-triggers', exact: true }).getByRole('link');
      expect(await links.evaluateAll((as) => as.map((a) => (a as unknown as { getAttribute(n: string): string }).getAttribute('href')))).toContain(`/runs/${newRun}`);
    });
  });

  it('offers no Re-trigger to a key without runs:retrigger', async () => {
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, reader, `/runs/${failedRun}`);
    await s.page.getByRole('heading', { level: 1, name: 'Run nginx deploy', exact: true }).waitFor();
    await retryUntil(async () => expect((await describedValue(s.page, 'Status').innerText()).trim()).toBe('failed'));
    expect(await s.page.getByRole('button', { name: 'Re-trigger', exact: true }).count()).toBe(0);
    // the run's schedules are listed, without the controls that change them
    await s.page.getByRole('table', { name: 'Schedules of this run', exact: true }).waitFor();
    expect(await s.page.getByRole('button', { name: 'New schedule', exact: true }).count()).toBe(0);
    expect(await s.page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link', { name: 'Runners', exact: true }).count()).toBe(0);
  });

  it('schedules a run from its page: the cron read live with its next three fire times, then listed, paused and deleted', async () => {
    const TABLE = 'Schedules of this run';
    const label = '30 2 * * 0 (Europe/Berlin)';
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, operator, `/runs/${scheduledRun}`);
    await s.page.getByRole('heading', { level: 1, name: 'Run postgres backup', exact: true }).waitFor();
    await retryUntil(async () => expect(await dataRows(s.page, TABLE).allInnerTexts()).toEqual([expect.stringContaining('This run has no schedules.')]));

    await s.page.getByRole('button', { name: 'New schedule', exact: true }).click();
    // the browser's own zone (the test context runs in Europe/Berlin) is the default
    expect(await s.page.getByRole('combobox', { name: 'Time zone', exact: true }).inputValue()).toBe('Europe/Berlin');
    await s.page.getByRole('textbox', { name: 'Cron expression', exact: true }).fill('30 2 * * 0');
    await s.page.getByText('At 02:30, only on Sunday', { exact: true }).waitFor();
    const times = s.page.getByRole('list', { name: 'Next three fire times', exact: true }).getByRole('listitem');
    await retryUntil(async () => expect(await times.count()).toBe(3));
    for (const text of await times.allInnerTexts()) expect(text).toMatch(/^Sun \d{4}-\d\d-\d\d 02:30 Europe\/Berlin \(\d{4}-\d\d-\d\d 0[01]:30:00 UTC\)$/);
    const previewed = await times.locator('time').evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string }).getAttribute('datetime')));
    await s.page.getByRole('textbox', { name: 'Schedule reason', exact: true }).fill('weekly restore drill');
    await checkView(s.page, 'run-schedule-form');
    await s.page.getByRole('button', { name: 'Create schedule', exact: true }).click();
    await s.page.getByText(`Created the schedule ${label}.`, { exact: true }).waitFor();

    const created = await eventually(async () => {
      const res = await request<ScheduleView[]>('GET', `${c.t.queryUrl}/v1/schedules?run_id=${scheduledRun}`, { key: operator });
      return res.body.length === 1 ? res.body[0] : undefined;
    }, 30_000, 'the schedule to be listed');
    expect(created).toMatchObject({ cron: '30 2 * * 0', timezone: 'Europe/Berlin', paused: false });
    // the console's next fire time is the service's
    expect(Date.parse(String(created.nextFireAt))).toBe(Date.parse(previewed[0]));
    await retryUntil(async () => {
      const rows = await dataRows(s.page, TABLE).allInnerTexts();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatch(/30 2 \* \* 0[\s\S]*At 02:30, only on Sunday[\s\S]*Europe\/Berlin[\s\S]*Sun \d{4}-\d\d-\d\d 02:30[\s\S]*active[\s\S]*weekly restore drill[\s\S]*Not fired yet/);
    });
    await checkView(s.page, 'run-schedules');

    await s.page.getByRole('button', { name: `Pause ${label}`, exact: true }).click();
    await s.page.getByRole('button', { name: `Resume ${label}`, exact: true }).waitFor();
    await retryUntil(async () => expect((await dataRows(s.page, TABLE).allInnerTexts())[0]).toMatch(/\bpaused\b/));
    const paused = await request<ScheduleView>('GET', `${c.t.queryUrl}/v1/schedules/${created.id}`, { key: operator });
    expect(paused.body).toMatchObject({ paused: true, nextFireAt: null });

    await s.page.getByRole('button', { name: `Delete ${label}`, exact: true }).click();
    await s.page.getByText(`Delete the schedule ${label}? It will not fire again.`, { exact: true }).waitFor();
    await s.page.getByRole('button', { name: 'Confirm delete', exact: true }).click();
    await retryUntil(async () => expect(await dataRows(s.page, TABLE).allInnerTexts()).toEqual([expect.stringContaining('This run has no schedules.')]));
    expect((await request('GET', `${c.t.queryUrl}/v1/schedules/${created.id}`, { key: operator })).status).toBe(404);
  });

  it('charts runs, durations and failure rate on Insights, each with a table of its numbers', async () => {
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, reader, '/insights');
    await s.page.getByRole('heading', { level: 1, name: 'Insights', exact: true }).waitFor();
    const charts = s.page.getByRole('img');
    await retryUntil(async () => expect(await charts.count()).toBeGreaterThanOrEqual(3));
    for (const label of await charts.evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('aria-label')))) {
      expect(label?.trim()).toBeTruthy();
    }
    await retryUntil(async () => expect(await s.page.getByRole('table').count()).toBeGreaterThanOrEqual(3));
    expect(await s.page.getByRole('button', { name: 'Apply filters', exact: true }).count()).toBe(1);
    await checkView(s.page, 'insights');
  });

  it('shows the deployed versions per workspace and block', async () => {
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, reader, '/deployments');
    await s.page.getByRole('heading', { level: 1, name: 'Deployments', exact: true }).waitFor();
    const table = s.page.getByRole('table', { name: 'Deployed versions', exact: true });
    await retryUntil(async () => {
      const headers = (await table.getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
      expect(headers).toEqual(expect.arrayContaining(['nginx', 'postgres']));
      const rows = await dataRows(s.page, 'Deployed versions').allInnerTexts();
      // successful runs only: postgres 16.2.0 reached acme-prod, nginx 1.25.2 acme-staging (postgres failed there)
      expect(rows.find((r) => r.includes('acme-prod'))).toContain('16.2.0');
      expect(rows.find((r) => r.includes('acme-staging'))).toContain('1.25.2');
      expect(rows.find((r) => r.includes('acme-staging'))).not.toContain('16.1.0');
    });
    await checkView(s.page, 'deployments');
  });

  it('lists runners with their state, and removes one after confirmation', async () => {
    const spare = await request<{ id: string }>('POST', `${c.t.queryUrl}/v1/runners`, { key: operator, body: { name: 'spare-runner', workspaces: ['acme-staging'] } });
    expect(spare.status).toBe(201);
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, operator, '/runners');
    await s.page.getByRole('heading', { level: 1, name: 'Runners', exact: true }).waitFor();
    expect(await columnHeaders(s.page, 'Runners')).toEqual(expect.arrayContaining(['Name', 'State', 'Last seen (UTC)']));
    await retryUntil(async () => {
      const rows = await dataRows(s.page, 'Runners').allInnerTexts();
      expect(rows.find((r) => r.includes('acme-ci'))).toMatch(/\bonline\b/);
      expect(rows.find((r) => r.includes('spare-runner'))).toMatch(/\boffline\b/);
    });
    await checkView(s.page, 'runners');

    await s.page.getByRole('button', { name: 'Remove spare-runner', exact: true }).click();
    await s.page.getByRole('button', { name: 'Confirm remove', exact: true }).click();
    await retryUntil(async () => expect((await dataRows(s.page, 'Runners').allInnerTexts()).some((r) => r.includes('spare-runner'))).toBe(false));
    const listed = await request<{ id: string }[]>('GET', `${c.t.queryUrl}/v1/runners`, { key: operator });
    expect(listed.body.some((r) => r.id === spare.body.id)).toBe(false);
  });
});
