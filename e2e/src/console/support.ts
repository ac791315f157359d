import { randomUUID } from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  auditEvent,
  eventually,
  launchBrowser,
  newBrowserSession,
  request,
  startTestStack,
  type BrowserSession,
  type ExtraEnv,
  type SessionOptions,
  type TestStack,
} from '@runtrail/testing';

/** The alert the console shows when the API answers 401 (console spec, "Errors"). */
export const KEY_REFUSED = 'Your key was not accepted or has expired. Sign in again.';
/** The alert of an embed link whose token is expired, revoked or forged. */
export const EMBED_REFUSED = 'This link has expired or is not valid.';
export { CONSOLE_SESSION_KEY as SESSION_KEY, openSignedIn } from '@runtrail/testing';

export interface ConsoleSuite {
  readonly t: TestStack;
  readonly browser: Browser;
  /** A new browser context (its own session storage), closed after the test. */
  open(options?: SessionOptions): Promise<BrowserSession>;
}

/**
 * One stack and one Chromium per spec file; a fresh browser context per test. After each
 * test: the page sent no request to any origin but the query service's, and the browser
 * reported no Content-Security-Policy violation (an inline script or style).
 */
export function useConsole(prefix: string, extraEnv: ExtraEnv = {}): ConsoleSuite {
  let t: TestStack | undefined;
  let browser: Browser | undefined;
  const sessions: BrowserSession[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestStack(prefix, extraEnv), launchBrowser()]);
  }, 120_000);

  afterEach(async () => {
    const open = sessions.splice(0);
    const origin = t?.queryUrl ?? '';
    const foreign = open.flatMap((s) => s.foreignRequests(origin));
    const csp = open.flatMap((s) => s.errors.filter((e) => /Content Security Policy/i.test(e)));
    await Promise.all(open.map((s) => s.close()));
    expect({ foreign, csp }).toEqual({ foreign: [], csp: [] });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  }, 60_000);

  return {
    get t() {
      if (!t) throw new Error('the stack did not start');
      return t;
    },
    get browser() {
      if (!browser) throw new Error('the browser did not start');
      return browser;
    },
    async open(options) {
      if (!browser) throw new Error('the browser did not start');
      const s = await newBrowserSession(browser, options);
      sessions.push(s);
      return s;
    },
  };
}

/** Signs in on `/` with `key` and waits for the timeline. */
export async function signIn(page: Page, queryUrl: string, key: string): Promise<void> {
  await page.goto(`${queryUrl}/`);
  await page.getByLabel('API key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Timeline', exact: true }).waitFor();
}

/** The session storage of the page's origin, as an object. */
export async function sessionStorageOf(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => ({ ...(globalThis as unknown as { sessionStorage: Record<string, string> }).sessionStorage }));
}

export async function localStorageOf(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => ({ ...(globalThis as unknown as { localStorage: Record<string, string> }).localStorage }));
}

/** A table's column headers, once it shows them. */
export async function columnHeaders(page: Page, table: string): Promise<string[]> {
  const headers = page.getByRole('table', { name: table, exact: true }).getByRole('columnheader');
  await headers.first().waitFor();
  return (await headers.allInnerTexts()).map((h) => h.trim());
}

/** The data rows of a table (rows holding cells, not the header row). */
export function dataRows(page: Page, table: string): Locator {
  return page.getByRole('table', { name: table, exact: true }).getByRole('row').filter({ has: page.getByRole('cell') });
}

interface DescribedElement {
  getAttribute(name: string): string | null;
  ownerDocument: { getElementById(id: string): { textContent: string | null } | null };
}

/** A control's accessible description: the text of the elements its `aria-describedby` names. */
export async function accessibleDescription(control: Locator): Promise<string> {
  return control.evaluate((el) => {
    const e = el as unknown as DescribedElement;
    return (e.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter((id) => id !== '')
      .map((id) => e.ownerDocument.getElementById(id)?.textContent ?? '')
      .join(' ');
  });
}

/** The value shown for `term` in a description list (`<dt>term</dt><dd>value</dd>`). */
export function describedValue(page: Page, term: string): Locator {
  return page.getByRole('term').filter({ hasText: new RegExp(`^\\s*${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) }).locator('xpath=following-sibling::dd[1]');
}

/** Posts audit events through ingest (batches of up to 1000) and waits until `/v1/audit` answers all of them. */
export async function seedAuditEvents(t: TestStack, key: string, events: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) {
    const res = await request('POST', `${t.ingestUrl}/v1/audit-events`, { key, body: events.slice(i, i + 1000) });
    if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${res.text}`);
  }
  const ids = new Set(events.map((e) => e.eventId));
  await eventually(
    async () => {
      const rows = await t.query<{ n: string }>('SELECT count(*) AS n FROM audit_events WHERE event_id = ANY($1::uuid[])', [[...ids]]);
      return Number(rows[0].n) === ids.size ? true : undefined;
    },
    30_000,
    `${ids.size} audit events to be projected`,
  );
}

/** `count` audit events from `auditEvent()` with unique entity names `<prefix>-000`… and the overrides. */
export function events(count: number, prefix: string, overrides: (i: number) => Record<string, unknown> = () => ({})): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => auditEvent({ eventId: randomUUID(), entityName: `${prefix}-${String(i).padStart(3, '0')}`, ...overrides(i) }));
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
