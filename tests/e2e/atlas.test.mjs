// The atlas panel of the density section (issue 17): the doubling time fitted on real models and
// the halving time of the price of a capability agree with the CLI; benchmark, family and the
// open/closed filter change them and stay in the link; every point reads out its values and source;
// the reader's rows join the shipped ones, bad rows named, in both languages.
import { openPage, drawnPixels, pasteInto, currentUrl } from './lib.mjs';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';

const months = (text) => Number(text.match(/[\d.]+/)[0]);
const close3 = (a, b) => Math.abs(a / b - 1) < 0.006;

export default function register(test, { srv, browser, figures, CLI }) {
  const cli0 = (args) => JSON.parse(execFileSync(CLI, args, { encoding: 'utf8' }));
  const cli = (args) => JSON.parse(execFileSync(CLI, args, { encoding: 'utf8' }));
  const fitCli = (bench, fam) => cli(['density-fit', '--atlas', '--frontier', '--benchmark', bench, '--reference-family', fam, '--json']);

  test('doubling and halving times agree with the CLI for two benchmarks and two families; the link keeps the choices', async () => {
    const page = await openPage(browser, srv.base);
    await page.locator('#atlas-title').scrollIntoViewIfNeeded();
    await page.waitForSelector('#atlas-doubling');
    const check = async (bench, fam) => {
      const want = fitCli(bench, fam).doubling_months;
      await page.waitForFunction((w) => {
        const t = document.getElementById('atlas-doubling')?.textContent || '';
        const m = t.match(/[\d.]+/);
        return m && Math.abs(Number(m[0]) / w - 1) < 0.006;
      }, want);
      const shown = months(await page.textContent('#atlas-doubling'));
      figures[`atlas_doubling_${bench}_${fam}`] = shown;
      assert.ok(close3(shown, want), `${bench}/${fam}: page ${shown}, CLI ${want}`);
    };
    await check('mmlu', 'qwen2.5');
    const price = cli(['atlas', '--json']).price_halving;
    assert.ok(close3(months(await page.textContent('#atlas-halving')), price.halving_months));
    figures.atlas_price_halving_months = price.halving_months;
    await page.selectOption('#f-abm', 'math');
    await check('math', 'qwen2.5');
    await page.selectOption('#f-afam', 'qwen1.5');
    await check('math', 'qwen1.5');
    await page.selectOption('#f-abm', 'mmlu');
    await check('mmlu', 'qwen1.5');
    const url = await currentUrl(page);
    assert.ok(url.includes('afam=qwen1.5'), url);
    // The link reopens on the same choices and figures.
    const again = await openPage(browser, url);
    await again.locator('#atlas-title').scrollIntoViewIfNeeded();
    assert.equal(await again.inputValue('#f-afam'), 'qwen1.5');
    assert.equal(await again.textContent('#atlas-doubling'), await page.textContent('#atlas-doubling'));
    // Both charts are drawn; every new number has its "how".
    assert.ok((await drawnPixels(page, '#chart-atlas-density canvas')) > 3000);
    assert.ok((await drawnPixels(page, '#chart-atlas-price canvas')) > 3000);
    for (const id of ['atlas-doubling', 'atlas-halving', 'atlas-edge']) {
      const how = page.locator(`[data-key="${id}"] details.how`);
      assert.equal(await how.count(), 1, `${id} has a how`);
      await how.locator('summary').click();
      assert.match(await how.textContent(), /https?:|Xiao|atlas/);
    }
    assert.deepEqual(page.errors, []);
    assert.deepEqual(again.errors, []);
    await page.context().close();
    await again.context().close();
  });

  test('a point reads out its model, date and values; a click keeps its source link', async () => {
    const page = await openPage(browser, srv.base);
    const sel = '#chart-atlas-density canvas';
    await drawnPixels(page, sel);
    // Sweep the canvas until the read-out names a point with a source.
    const box = await page.locator(sel).boundingBox();
    let found = '';
    for (let fx = 0.55; fx < 0.97 && !found; fx += 0.02) {
      for (let fy = 0.1; fy < 0.9 && !found; fy += 0.04) {
        await page.mouse.move(box.x + fx * box.width, box.y + fy * box.height);
        const t = await page.textContent('#chart-atlas-density .readout');
        if (/\(\w.*, \d{4}-\d\d-\d\d\): N /.test(t) && (await page.locator('#chart-atlas-density .point-source').count()) === 1) {
          await page.mouse.click(box.x + fx * box.width, box.y + fy * box.height);
          found = t;
        }
      }
    }
    assert.ok(found, 'some point read out its values');
    assert.match(found, /MMLU [\d.]+ · N̂ [\d.e+]+ · ρ [\d.]+/);
    // Pinned: leaving the canvas keeps it, so the link can be followed.
    await page.mouse.move(0, 0);
    assert.equal(await page.textContent('#chart-atlas-density .readout'), found);
    assert.match(await page.getAttribute('#chart-atlas-density .point-source', 'href'), /^https?:\/\//);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("the reader's rows join the shipped ones; bad rows are named with their reasons, the others used; the filter keeps them", async () => {
    const page = await openPage(browser, srv.base + '?v=2&afr=off');
    await page.locator('#atlas-title').scrollIntoViewIfNeeded();
    const nBefore = Number((await page.textContent('#atlas-doubling-ci')).match(/n (\d+)/)[1]);
    const planBefore = await page.textContent('#out-params');
    const rows = [
      'name,release_date,total_params,mmlu_5shot',
      'Mine-1B,2026-06-01,1e9,72',
      'BadDate,2026-02-30,1e9,60',
      'Negative,2026-01-01,-3e9,60',
      'TooHigh,2026-01-01,3e9,130',
      'Llama-3-8B,2024-04-18,8e9,66',
    ].join('\n');
    await pasteInto(page, '#f-arows', rows);
    await page.waitForFunction(() => document.querySelectorAll('#e-arows li').length === 4);
    const errs = await page.locator('#e-arows li').allTextContents();
    assert.match(errs[0], /^Row 2 \(BadDate\): release_date '2026-02-30' is not a date/);
    assert.match(errs[1], /^Row 3 \(Negative\): total_params must be greater than 0/);
    assert.match(errs[2], /^Row 4 \(TooHigh\): mmlu_5shot 130 is outside the benchmark's range/);
    assert.match(errs[3], /^Row 5 \(Llama-3-8B\): the name is already in the atlas/);
    assert.match(await page.textContent('#arows-placed'), /1 of your rows/);
    await page.waitForFunction((n) => document.getElementById('atlas-doubling-ci').textContent.includes(`n ${n + 1}`), nBefore);
    // The rest of the scenario stays.
    assert.equal(await page.textContent('#out-params'), planBefore);
    // The row is on the chart (its own series) and in the table.
    await page.click('#atlas-table summary');
    await page.waitForSelector('#atlas-table td');
    assert.ok((await page.locator('#atlas-table td', { hasText: 'Mine-1B' }).count()) === 1);
    // The open-weights filter keeps the reader's row and leaves out closed models.
    await page.selectOption('#f-aw', 'open');
    await page.waitForFunction(() => !document.querySelector('#atlas-table')?.textContent.includes('GPT-4'));
    assert.ok((await page.locator('#atlas-table td', { hasText: 'Mine-1B' }).count()) === 1);
    const url = await currentUrl(page);
    assert.ok(url.includes('arows=') && url.includes('aw=open'), url);
    // In Chinese, the reasons are Chinese.
    const zh = await openPage(browser, url.replace(/lang=\w+&?/, '') + '&lang=zh');
    await zh.locator('#atlas-title').scrollIntoViewIfNeeded();
    await zh.waitForFunction(() => document.querySelectorAll('#e-arows li').length === 4);
    assert.match((await zh.locator('#e-arows li').allTextContents())[0], /^第 2 行（BadDate）：release_date“2026-02-30”不是日期/);
    assert.match(await zh.textContent('#atlas-title'), /图谱/);
    assert.deepEqual(zh.errors, []);
    await zh.context().close();
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the implied margin of open-weight models agrees with scalecalc atlas --json', async () => {
    const page = await openPage(browser, srv.base);
    await page.locator('#atlas-margins summary').scrollIntoViewIfNeeded();
    await page.click('#atlas-margins summary');
    await page.waitForSelector('#atlas-margins-table tbody tr');
    const rows = await page.$$eval('#atlas-margins-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    const cli = cli0(['atlas', '--json']).implied_margins.rows;
    assert.equal(rows.length, cli.length);
    rows.forEach((r, i) => {
      const m = cli[i].margin_blended;
      if (typeof m === 'number') assert.equal(r[4], `${m >= 0 ? '+' : ''}${(100 * m).toFixed(0)}%`, `${r[0]}`);
      else assert.equal(r[4], '—');
      assert.ok(!r.join(' ').includes('NaN'));
    });
    figures.atlas_margins_batch64 = rows.map((r) => `${r[0]} ${r[1]}: ${r[4]} (batch 1,024: ${r[6]})`).join('; ');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}
