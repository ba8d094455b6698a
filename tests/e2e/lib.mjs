// Shared helpers for the browser tests: a static server for dist/ and Debian's Chromium via
// playwright-core (never `npx playwright install`: that downloads a browser and fails here).
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.png': 'image/png', '.json': 'application/json' };

/** Serves `dir` on 127.0.0.1 under `prefix` (to prove sub-path hosting); resolves to the base URL. */
export async function serve(dir, prefix = '/') {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith(prefix)) { res.writeHead(404); res.end(); return; }
    let rel = path.slice(prefix.length) || 'index.html';
    if (rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(dir, rel));
    if (!file.startsWith(normalize(dir))) { res.writeHead(403); res.end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch { res.writeHead(404); res.end(); }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return { base: `http://127.0.0.1:${port}${prefix}`, close: () => server.close() };
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** Waits for the whole page: the plan comes with the main module, the other four sections follow
 * as their own modules (src/ui/deferred.rs), and the page marks 'scalecalc-rendered' when all have. */
export async function waitRendered(page) {
  await page.waitForFunction(() => performance.getEntriesByName('scalecalc-rendered').length > 0);
}

/** The page's URL once it follows the scenario: the page rewrites it a moment after the last
 * change (src/ui/mod.rs, `follow_url`). */
export async function currentUrl(page) {
  await page.waitForFunction(() => window.scalecalcUrlPending === false);
  return page.url();
}

/** A page that records console errors and failed requests. */
export async function openPage(browser, url, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, ...opts });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('requestfailed', (r) => page.errors.push(`request failed: ${r.url()}`));
  await page.goto(url);
  await waitRendered(page);
  return page;
}

/** Opens the Plan's three assumption blocks (their fields are shown on demand). */
export async function openAssumptions(page) {
  for (const id of ['plan-assume-training', 'plan-assume-serving', 'plan-assume-density']) {
    await page.waitForSelector(`#${id} > summary`);
    await page.evaluate((i) => { document.getElementById(i).open = true; }, id);
  }
}

/** Reads the four plan numbers as shown. */
export async function planNumbers(page) {
  return page.evaluate(() => Object.fromEntries(['out-params', 'out-tokens', 'out-tpp', 'out-loss']
    .map((id) => [id, document.getElementById(id)?.textContent])));
}

/** Counts non-background pixels of a canvas (scrolled into view first: charts off screen are
 *  not drawn until a person scrolls to them). */
export async function drawnPixels(page, selector) {
  await page.locator(selector).scrollIntoViewIfNeeded();
  await page.waitForFunction((sel) => Number(document.querySelector(sel).dataset.draws) > 0, selector);
  return page.evaluate((sel) => {
    const c = document.querySelector(sel);
    const ctx = c.getContext('2d');
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const [r0, g0, b0] = [d[0], d[1], d[2]];
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - r0) + Math.abs(d[i + 1] - g0) + Math.abs(d[i + 2] - b0) > 30) n++;
    return n;
  }, selector);
}

/** Types into an input the way a person does: select all, type, and the page reacts per keystroke. */
/** Pastes `text` into a field at once, as the clipboard does: the value is set and one input event
 * fires (Playwright's fill types a long text through the protocol and takes minutes for 100 KB). */
export async function pasteInto(page, selector, text) {
  await page.locator(selector).scrollIntoViewIfNeeded();
  await page.evaluate(([sel, t]) => {
    const el = document.querySelector(sel);
    el.focus();
    el.value = t;
    el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }, [selector, text]);
}

export async function typeInto(page, selector, text) {
  await page.fill(selector, '');
  await page.type(selector, text);
}


/**
 * The 16 ms update target (issue 7): recorded as met/MISSED in the figures; the test fails above
 * 24 ms (1.5× the target), since a shared CI machine's noise alone can push a 12 ms median past
 * 16. SCALECALC_STRICT_TARGETS=1 enforces the target itself.
 */
export function checkUpdateTarget(figures, section, medianMs) {
  figures[`${section}_update_target_16ms`] = medianMs <= 16 ? 'met' : 'MISSED';
  const limit = process.env.SCALECALC_STRICT_TARGETS === '1' ? 16 : 24;
  if (!(medianMs <= limit)) throw new Error(`${section}: median update ${medianMs} ms (limit ${limit} ms)`);
}

/**
 * Times input → update as a person typing would see it: for each value, set the `input` and fire
 * `input`, then spin on microtasks (Leptos runs effects there) until every canvas in `canvases`
 * (selectors) has redrawn; the number in `out` must have changed too. Median and p90 in ms.
 */
export async function measureUpdates(page, { input, out, canvases, values }) {
  return page.evaluate(async ({ input, out, canvases, values }) => {
    const el = document.querySelector(input);
    const shown = document.querySelector(out);
    const cs = canvases.map((s) => document.querySelector(s));
    const ms = [];
    for (const v of values) {
      const before = shown.textContent;
      const draws = cs.map((c) => Number(c.dataset.draws));
      const done = () => cs.every((c, j) => Number(c.dataset.draws) > draws[j]);
      const t0 = performance.now();
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      for (let k = 0; k < 20000 && !done(); k++) await Promise.resolve();
      const t1 = performance.now();
      if (!done()) throw new Error(`charts not redrawn for ${input} = ${v}`);
      if (shown.textContent === before) throw new Error(`${out} not updated for ${input} = ${v}`);
      ms.push(t1 - t0);
    }
    ms.sort((a, b) => a - b);
    return { median: ms[ms.length >> 1], p90: ms[Math.floor(ms.length * 0.9)] };
  }, { input, out, canvases, values });
}

/** `n` values from `f(i)`, as strings. */
export const valuesOf = (n, f) => Array.from({ length: n }, (_, i) => String(f(i)));
