// Exports worth sending (issue 18, item 10): a chart's PNG carries its title, key inputs, sources
// and link; a CSV's header names each column's unit; the scenario file carries the results and
// reopens to the same link; Copy summary puts Markdown with the price and the link on the
// clipboard; the print medium shows every chart drawn and no controls.
import { openPage, currentUrl } from './lib.mjs';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Clicks a chart's export button (1: PNG, 2: CSV) and returns the downloaded file's bytes. */
async function exportChart(page, id, nth) {
  await page.locator(`#chart-${id}`).scrollIntoViewIfNeeded();
  await page.waitForFunction((i) => Number(document.querySelector(`#chart-${i} canvas`)?.dataset.draws) > 0, id);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click(`#chart-${id} .exports button:nth-child(${nth})`),
  ]);
  return readFileSync(await download.path());
}

/** The PNG's size and the count of non-background pixels in its top band (above the plot). */
async function pngTitleBand(page, bytes, plotTop) {
  return page.evaluate(async ([b64, top]) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, Math.min(top, c.height)).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 60) n++;
    return { w: img.width, h: img.height, band: n };
  }, [bytes.toString('base64'), plotTop]);
}

export default function register(test, { srv, browser }) {
  test('exports: a chart PNG has a title band above the plot and more below; CSV headers name units', async () => {
    const page = await openPage(browser, `${srv.base}?v=2&lang=en`);
    for (const id of ['optimal', 'inf-throughput']) {
      const png = await exportChart(page, id, 1);
      const canvas = await page.evaluate((i) => {
        const c = document.querySelector(`#chart-${i} canvas`);
        return { w: c.width, h: c.height };
      }, id);
      const { w, h, band } = await pngTitleBand(page, png, 30);
      assert.equal(w, canvas.w, id);
      // Title and inputs above, sources and link below: at least 4 lines of text around the plot.
      assert.ok(h >= canvas.h + 80, `${id}: PNG ${h} px tall, canvas ${canvas.h}`);
      assert.ok(band > 200, `${id}: ${band} drawn pixels in the title band`);
    }
    const csv = (await exportChart(page, 'optimal', 2)).toString('utf8');
    assert.equal(csv.split('\n')[0], 'series,compute_flop,params_or_tokens,params_or_tokens_low,params_or_tokens_high');
    const inf = (await exportChart(page, 'inf-latency', 2)).toString('utf8');
    assert.equal(inf.split('\n')[0], 'series,batch_sequences,seconds,seconds_low,seconds_high');
    const mem = (await exportChart(page, 'train-memory', 2)).toString('utf8');
    assert.equal(mem.split('\n')[0], 'bar,component,memory_bytes_per_gpu');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('exports: the scenario file carries the results and reopens to the same link', async () => {
    const page = await openPage(browser, `${srv.base}?v=2&k=512&bm=usd&usd=2e7&igpus=2`);
    const link = await currentUrl(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    // Kept beyond the page's context (a download's own file goes with it).
    const path = join(mkdtempSync(join(tmpdir(), 'scalecalc-scenario-')), 'scenario.json');
    await download.saveAs(path);
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    const price = saved.results.inference['plan.cost_per_million_output_tokens_usd'];
    assert.ok(price.value > 0 && /USD/.test(price.unit), JSON.stringify(price));
    assert.ok(saved.results.scaling['optimal.params'].value > 0);
    assert.ok(saved.results.training['plan.cost_usd'].value > 0);
    assert.equal(saved.k, 512);
    const shown = await page.textContent('#plan-usd-per-m');
    await page.context().close();

    const fresh = await openPage(browser, srv.base);
    await fresh.setInputFiles('#import-json', path);
    await fresh.waitForFunction(() => document.querySelector('#f-bm')?.value === 'usd');
    assert.equal(new URL(await currentUrl(fresh)).search, new URL(link).search);
    assert.equal(await fresh.textContent('#plan-usd-per-m'), shown);
    assert.equal(await fresh.locator('#link-warnings').count(), 0, 'results is not reported as an unknown key');
    assert.deepEqual(fresh.errors, []);
    await fresh.context().close();
  });

  test('exports: Copy summary puts Markdown with the price per million output tokens and the link on the clipboard', async () => {
    for (const lang of ['en', 'zh']) {
      const page = await openPage(browser, `${srv.base}?v=2&lang=${lang}`, { permissions: ['clipboard-read', 'clipboard-write'] });
      const link = await currentUrl(page);
      await page.click('#copy-summary');
      await page.waitForSelector('#summary-result');
      const md = await page.evaluate(() => navigator.clipboard.readText());
      const price = (await page.textContent('#plan-usd-per-m .card-value, #plan-usd-per-m')).match(/\$[\d.]+|[\d.]+美元/)[0];
      assert.ok(md.includes(price), `${lang}: ${price} not in\n${md}`);
      assert.ok(md.includes(link), `${lang}: the link`);
      assert.match(md, /^## /);
      assert.match(md, /\|---\|---\|---\|/);
      assert.match(md, /\]\(https:\/\//, 'sources are links');
      assert.match(await page.textContent('#summary-result'), lang === 'en' ? /Summary copied/ : /摘要已复制/);
      if (lang === 'zh') assert.match(md, /每百万输出 token 价格/);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
    // Without clipboard permission the summary is shown in a text area to copy by hand.
    const page = await openPage(browser, `${srv.base}?v=2&lang=en`);
    await page.evaluate(() => { navigator.clipboard.writeText = () => Promise.reject(new Error('denied')); });
    await page.click('#copy-summary');
    await page.waitForSelector('#summary-text');
    assert.match(await page.inputValue('#summary-text'), /Price per million output tokens/);
    assert.match(await page.textContent('#summary-result'), /Copy failed/);
    await page.context().close();
  });

  test('exports: printing shows every chart drawn and hides the controls and buttons', async () => {
    const page = await openPage(browser, `${srv.base}?v=2&lang=en`);
    const ids = await page.evaluate(() => [...document.querySelectorAll('figure.chart canvas')].map((c) => c.closest('figure').id));
    assert.ok(ids.length >= 14, `${ids.length} charts`);
    // Far from the viewport, most are not drawn yet.
    const undrawn = await page.evaluate(() => [...document.querySelectorAll('figure.chart canvas')].filter((c) => !(Number(c.dataset.draws) > 0)).length);
    assert.ok(undrawn > 0);
    await page.emulateMedia({ media: 'print' });
    await page.waitForFunction(() => [...document.querySelectorAll('figure.chart canvas')].every((c) => Number(c.dataset.draws) > 0));
    const pixels = await page.evaluate(() => [...document.querySelectorAll('figure.chart canvas')].map((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 30) n++;
      return [c.closest('figure').id, n];
    }));
    for (const [id, n] of pixels) assert.ok(n > 500, `${id}: ${n} drawn pixels`);
    const shown = await page.evaluate(() => ['header .controls', 'header nav', '.exports', '#copy-summary']
      .map((s) => [s, [...document.querySelectorAll(s)].some((e) => e.getClientRects().length > 0)]));
    for (const [sel, visible] of shown) assert.equal(visible, false, `${sel} is hidden in print`);
    const breakInside = await page.evaluate(() => getComputedStyle(document.querySelector('figure.chart')).breakInside);
    assert.equal(breakInside, 'avoid');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}
