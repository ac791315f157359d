import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Browser tests drive Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it
 * when it is missing) through playwright-core: no browser download, no test runner of
 * Playwright's own, jest as everywhere else.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, no sandbox (containers), and none of the browser's own traffic (updates, sync, QUIC probes). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const DESKTOP_VIEWPORT = { width: 1366, height: 768 };
export const PHONE_VIEWPORT = { width: 390, height: 844 };

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: browser tests need Debian's chromium (apt-get install chromium), which .ci/run installs`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** One browser context (its own session storage, cookies, cache) and its first page, with every request recorded. */
export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Every URL the context requested, in order (pages, workers, downloads). */
  requests: string[];
  /** Messages of the page's console of type `error`, and uncaught page errors. */
  errors: string[];
  /** The requested URLs whose origin is not `origin` (data: URLs never hit the network and are not reported). */
  foreignRequests(origin: string): string[];
  close(): Promise<void>;
}

export interface SessionOptions {
  viewport?: { width: number; height: number };
  /** Downloads are refused unless this is true. */
  acceptDownloads?: boolean;
}

export async function newBrowserSession(browser: Browser, options: SessionOptions = {}): Promise<BrowserSession> {
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP_VIEWPORT,
    acceptDownloads: options.acceptDownloads ?? true,
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
  });
  // Generous enough for a busy 2-core machine, short enough to fail inside jest's timeout.
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return {
    context,
    page,
    requests,
    errors,
    foreignRequests: (origin) => requests.filter((url) => !sameOrigin(url, origin)),
    close: () => context.close(),
  };
}

/** Where the console keeps the key it signed in with: the tab's session storage. */
export const CONSOLE_SESSION_KEY = 'runtrail.apiKey';

/** In the page: puts the key where the console's sign-in puts it. */
function storeConsoleKey([name, key]: [string, string]): void {
  (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem(name, key);
}

/**
 * Opens `path` signed in with `key` without going through the sign-in form: the key is put
 * where sign-in puts it, the tab's session storage, from a same-origin page that is not the
 * console (`/healthz`).
 */
export async function openSignedIn(page: Page, baseUrl: string, key: string, path: string): Promise<void> {
  await page.goto(`${baseUrl}/healthz`);
  await page.evaluate(storeConsoleKey, [CONSOLE_SESSION_KEY, key] as [string, string]);
  await page.goto(`${baseUrl}${path}`);
}

/**
 * Signs in every page the context opens from now on, before the console starts and with
 * no other page loaded first (a cold load: the bench's new context per load). Signing out
 * does not last: the next page starts signed in again.
 */
export async function signInEveryPage(context: BrowserContext, key: string): Promise<void> {
  await context.addInitScript(storeConsoleKey, [CONSOLE_SESSION_KEY, key] as [string, string]);
}

/** blob: URLs carry their creator's origin (`blob:http://host:port/uuid`), which `URL` reports. */
function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}

export interface AxeProblem {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core on the page as it is and answers its serious and critical violations.
 * Legacy mode runs axe in the page alone: the default mode opens a second page to merge
 * the results of frames (the console has none), which takes seconds on a 2-core machine.
 * Only violations are collected in full (passes and incomplete checks are not needed).
 */
export async function seriousAxeViolations(page: Page): Promise<AxeProblem[]> {
  const { violations } = await new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ['violations'] }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** Fails with a readable list when axe-core finds a serious or critical violation on the page. */
export async function expectNoSeriousAxeViolations(page: Page, view: string): Promise<void> {
  const problems = await seriousAxeViolations(page);
  if (problems.length === 0) return;
  const lines = problems.map((p) => `  - ${p.id} (${p.impact}): ${p.help}\n      ${p.targets.slice(0, 5).join('\n      ')}${p.targets.length > 5 ? `\n      … and ${p.targets.length - 5} more` : ''}`);
  throw new Error(`axe-core: ${problems.length} serious or critical violation(s) on ${view} (${page.url()}):\n${lines.join('\n')}`);
}

/** The repository's root (the directory holding nx.json), from the sources or from dist/. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no nx.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}

/** Where the README's screenshots live. */
export const SCREENSHOT_DIR = 'docs/screenshots';

/**
 * Writes `<dir>/<view>.png` (the viewport; `docs/screenshots` by default) when
 * UPDATE_SCREENSHOTS=1, so that an ordinary test run never changes the tree. Answers the
 * path written, or undefined.
 */
export async function screenshot(page: Page, view: string, dir = resolve(repoRoot(), SCREENSHOT_DIR)): Promise<string | undefined> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(view)) throw new Error(`screenshot name "${view}" must be lower-case words joined by -`);
  if (process.env.UPDATE_SCREENSHOTS !== '1') return undefined;
  const file = join(dir, `${view}.png`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, await page.screenshot({ animations: 'disabled', caret: 'hide' }));
  return file;
}

interface ScrollState {
  scrollWidth: number;
  clientWidth: number;
}

/** How wide the document is against the window: wider means the page scrolls sideways. */
export async function pageScrollWidth(page: Page): Promise<ScrollState> {
  return page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: ScrollState } }).document.documentElement;
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
  });
}

/**
 * In the page: the innermost elements whose right edge is past the window and that no
 * horizontally scrolling (or clipping) ancestor contains (a scrolling container that is
 * itself too wide is one), described for a failure message.
 */
const OVERFLOWING_ELEMENTS = `(() => {
  const width = document.documentElement.clientWidth;
  const past = (el) => el.getBoundingClientRect().right > width + 0.5;
  // Clipped by a scrolling ancestor, as layout has it: an absolutely positioned element only
  // by ancestors from its containing block (the nearest positioned one) up, a fixed one never.
  const contained = (el) => {
    let position = getComputedStyle(el).position;
    let skipping = position === 'absolute';
    if (position === 'fixed') return false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (skipping && style.position === 'static') continue;
      skipping = false;
      if (style.overflowX !== 'visible') return true;
      if (style.position === 'fixed') return false;
      if (style.position === 'absolute') skipping = true;
    }
    return false;
  };
  const describe = (el) => {
    const id = el.id ? '#' + el.id : '';
    const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    const text = (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return el.tagName.toLowerCase() + id + cls + (text ? ' "' + text + '"' : '') + ' (right edge ' + Math.round(el.getBoundingClientRect().right) + ' px)';
  };
  const culprit = (el) => past(el) && !contained(el);
  const found = [...document.body.querySelectorAll('*')].filter((el) => culprit(el) && ![...el.children].some(culprit));
  return found.slice(0, 5).map(describe);
})()`;

/**
 * At 390×844 the page must not scroll horizontally at page level (a table may scroll
 * inside its own container). The viewport is put back afterwards.
 */
export async function expectNoHorizontalScrollOnPhone(page: Page, view: string): Promise<void> {
  const before = page.viewportSize() ?? DESKTOP_VIEWPORT;
  await page.setViewportSize(PHONE_VIEWPORT);
  try {
    // Let layout settle: two animation frames after the resize.
    await page.evaluate(
      () =>
        new Promise<void>((r) => {
          const raf = (globalThis as unknown as { requestAnimationFrame: (cb: () => void) => void }).requestAnimationFrame;
          raf(() => raf(() => r()));
        }),
    );
    const { scrollWidth, clientWidth } = await pageScrollWidth(page);
    if (scrollWidth > clientWidth) {
      const culprits = (await page.evaluate(OVERFLOWING_ELEMENTS)) as string[];
      throw new Error(
        `${view} scrolls horizontally at ${PHONE_VIEWPORT.width}×${PHONE_VIEWPORT.height}: the document is ${scrollWidth} px wide in a ${clientWidth} px window; ` +
          `elements reaching past the window (not inside a scrolling container): ${culprits.join('; ') || 'none found'}`,
      );
    }
  } finally {
    await page.setViewportSize(before);
  }
}

/**
 * What every view gets: its screenshot (first, so that it is there to look at when a check
 * fails), axe-core at desktop size, and the phone-width check.
 */
export async function checkView(page: Page, view: string): Promise<void> {
  await screenshot(page, view);
  await expectNoSeriousAxeViolations(page, view);
  await expectNoHorizontalScrollOnPhone(page, view);
}

/**
 * Retries `assertion` (which throws, for instance a jest `expect`) until it passes, and
 * rethrows its last failure after `timeoutMs`: for what the page shows after it polled.
 */
export async function retryUntil<T>(assertion: () => Promise<T> | T, timeoutMs = 15_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
