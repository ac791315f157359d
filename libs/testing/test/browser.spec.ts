import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { expectNoHorizontalScrollOnPhone, expectNoSeriousAxeViolations, launchBrowser, newBrowserSession, screenshot, type BrowserSession } from '../src';

// The console's own headers: nothing inline runs, nothing leaves the origin unless the page asks for it.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: http://localhost:9; connect-src 'self'";
const PAGES: Record<string, string> = {
  '/': '<main><h1>Sign in</h1><label for="k">API key</label><input id="k" type="password"><button>Sign in</button></main>',
  '/inaccessible': '<main><h1>Bad</h1><img src="/logo.png"><input></main>',
  '/wide': '<link rel="stylesheet" href="/wide.css"><main><h1>Wide</h1><div class="wide">x</div></main>',
  '/scrolling-table': '<link rel="stylesheet" href="/wide.css"><main><h1>Table</h1><div class="scroller"><div class="wide">x</div></div></main>',
  // a visually hidden label positioned absolutely escapes a scroller that is not its containing block
  '/escaping-label': '<link rel="stylesheet" href="/wide.css"><main><h1>Table</h1><div class="scroller"><div class="wide"><span class="hidden-label">Actions</span></div></div></main>',
  '/leaky': '<main><h1>Leaky</h1><img src="http://localhost:9/pixel.png" alt="pixel"></main>',
};

/** The harness must catch what the console tests rely on it to catch. */
describe('browser harness', () => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  let s: BrowserSession;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/wide.css') {
        res.writeHead(200, { 'content-type': 'text/css' }).end('.wide{width:2000px} .scroller{overflow-x:auto} .hidden-label{position:absolute;left:600px;width:1px;overflow:hidden}');
      } else if (req.url === '/logo.png') {
        res.writeHead(404).end();
      } else if (req.url && PAGES[req.url]) {
        res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': CSP });
        res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>${PAGES[req.url]}</body></html>`);
      } else {
        res.writeHead(404).end();
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  }, 30_000);

  beforeEach(async () => {
    s = await newBrowserSession(browser);
  });
  afterEach(async () => {
    await s.close();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('passes an accessible page and lists the serious violations of an inaccessible one', async () => {
    await s.page.goto(`${origin}/`);
    await expectNoSeriousAxeViolations(s.page, 'sign-in');
    await s.page.goto(`${origin}/inaccessible`);
    const failure = expectNoSeriousAxeViolations(s.page, 'inaccessible');
    await expect(failure).rejects.toThrow(/2 serious or critical violation\(s\) on inaccessible/);
    await expect(failure).rejects.toThrow(/image-alt \(critical\): Images must have alternative text\n\s+img/);
    await expect(failure).rejects.toThrow(/label \(critical\): Form elements must have labels\n\s+input/);
  });

  it('fails a page that scrolls sideways at phone width, not one whose table scrolls in its container', async () => {
    await s.page.goto(`${origin}/wide`);
    await expect(expectNoHorizontalScrollOnPhone(s.page, 'wide')).rejects.toThrow(
      /wide scrolls horizontally at 390×844: the document is 20\d\d px wide in a 390 px window; elements reaching past the window \(not inside a scrolling container\): div\.wide "x" \(right edge 20\d\d px\)$/,
    );
    expect(s.page.viewportSize()).toEqual({ width: 1366, height: 768 });
    await s.page.goto(`${origin}/scrolling-table`);
    await expectNoHorizontalScrollOnPhone(s.page, 'scrolling-table');
    await s.page.goto(`${origin}/escaping-label`);
    await expect(expectNoHorizontalScrollOnPhone(s.page, 'escaping-label')).rejects.toThrow(/container\): span\.hidden-label "Actions" \(right edge 601 px\)$/);
  });

  it('records every request, and names those to another origin', async () => {
    await s.page.goto(`${origin}/`);
    expect(s.foreignRequests(origin)).toEqual([]);
    await s.page.goto(`${origin}/leaky`);
    expect(s.requests).toEqual([`${origin}/`, `${origin}/leaky`, 'http://localhost:9/pixel.png']);
    expect(s.foreignRequests(origin)).toEqual(['http://localhost:9/pixel.png']);
  });

  it('writes a screenshot only when UPDATE_SCREENSHOTS=1', async () => {
    await s.page.goto(`${origin}/`);
    const dir = mkdtempSync(join(tmpdir(), 'shots-'));
    const saved = process.env.UPDATE_SCREENSHOTS;
    try {
      delete process.env.UPDATE_SCREENSHOTS;
      expect(await screenshot(s.page, 'sign-in', dir)).toBeUndefined();
      expect(readdirSync(dir)).toEqual([]);
      process.env.UPDATE_SCREENSHOTS = '1';
      expect(await screenshot(s.page, 'sign-in', dir)).toBe(join(dir, 'sign-in.png'));
      expect(readFileSync(join(dir, 'sign-in.png')).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      await expect(screenshot(s.page, '../escape', dir)).rejects.toThrow(/must be lower-case words joined by -/);
    } finally {
      if (saved === undefined) delete process.env.UPDATE_SCREENSHOTS;
      else process.env.UPDATE_SCREENSHOTS = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
