// The page as a whole: accessibility (axe-core), offline use, self-contained requests, small
// screens, keyboard focus, and Chinese text coverage.
import { openPage, waitRendered } from './lib.mjs';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

/** Visible text nodes of the page (closed <details> contents are not visible; citations marked
 *  lang="en" stay in the publication's language). */
async function visibleTexts(page) {
  return page.evaluate(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      // Formulas (code, var) use the same symbols in both languages; citations (cite) stay as published.
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent.trim();
      if (!text || !el || el.closest('script,style,noscript,code,var,cite,option:not(:checked),[lang="en"]')) continue;
      if (!el.checkVisibility || !el.checkVisibility()) continue;
      out.push(text);
    }
    return out;
  });
}

export default function register(test, { srv, browser, figures }) {
  test('axe-core finds no serious or critical violations (light and dark)', async () => {
    for (const theme of ['light', 'dark']) {
      const page = await openPage(browser, `${srv.base}?v=1&theme=${theme}`);
      await page.addScriptTag({ path: AXE });
      const res = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, n: v.nodes.length, help: v.help,
          where: v.nodes.slice(0, 2).map((x) => x.target.join(' ')) }));
      });
      const bad = res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      figures[`axe_${theme}_violations`] = res.length;
      assert.deepEqual(bad, [], `${theme}: ${JSON.stringify(bad, null, 1)}`);
      await page.context().close();
    }
  });

  test('requests nothing beyond its own files and keeps working offline once loaded', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const foreign = [];
    page.on('request', (r) => { if (!r.url().startsWith(srv.base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url()); });
    await page.goto(srv.base);
    // Loaded means every part: the sections below the plan arrive as modules of their own.
    await waitRendered(page);
    await context.setOffline(true);
    const before = await page.textContent('#out-params');
    await page.fill('#f-c', '1e25');
    await page.waitForFunction((b) => document.getElementById('out-params').textContent !== b, before);
    // A deferred section computes offline too (the training days follow the GPU count).
    const days = await page.textContent('#out-train-days');
    await page.fill('#f-k', '4096');
    await page.waitForFunction((b) => document.getElementById('out-train-days').textContent !== b, days);
    assert.deepEqual(foreign, []);
    await context.close();
  });

  test('a 360-px phone: no horizontal scrolling, everything reachable', async () => {
    const page = await openPage(browser, srv.base, { viewport: { width: 360, height: 740 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
    const canvasW = await page.evaluate(() => document.querySelector('#chart-optimal canvas').getBoundingClientRect().width);
    assert.ok(canvasW <= 360, `chart is ${canvasW}px wide`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('keyboard: Tab reaches the inputs with a visible focus ring', async () => {
    const page = await openPage(browser, srv.base);
    let found = false;
    for (let i = 0; i < 40 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => document.activeElement?.id === 'f-c');
    }
    assert.ok(found, 'Tab never reached the budget input');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none');
    await page.keyboard.type('0');   // appends a digit: 5.76e230 is out of range → error shown
    assert.match(await page.textContent('#e-c'), /outside the allowed range/);
    await page.context().close();
  });

  test('in Chinese, visible text comes from the Chinese tables (no stray English words)', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&lang=zh`);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    const texts = await visibleTexts(page);
    // Allowed: names, ids, units, symbols and CSV column names, the same in both languages.
    const allowed = /^(scalecalc|nvidia-smi|English|PNG|CSV|JSON|FLOP|FLOPs|GPU|GPUs|TP|PP|MFU|HFU|PUE|KV|MoE|LoRA|QLoRA|ZeRO|Adam|SGD|GiB|GB|MB|TB|MWh|CO₂e?|tCO₂e|token|tokens|nats|params|[A-Z][A-Za-z0-9.+×\-]*|[a-z0-9][a-z0-9.\-]*[0-9][a-z0-9.\-]*|[A-Za-z]_[A-Za-z]+|[a-z]+(?:_[a-z0-9]+)+|e|x|y|v|N|D|C|L|ref|opt|max|min|name|date|params|effective_params|density|tokens|loss|flops)$/;
    const stray = [];
    for (const t of texts) {
      for (const w of t.match(/[A-Za-z][A-Za-z0-9_.\-₂]*/g) || []) {
        if (w.length >= 3 && !allowed.test(w)) stray.push(`${w} (in “${t.slice(0, 60)}”)`);
      }
    }
    assert.deepEqual(stray, []);
    await page.context().close();
  });
}
