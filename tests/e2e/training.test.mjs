// Training section: inputs against the CLI, ZeRO and memory, a bad MFU, grid presets, the
// validation table, a "how" disclosure, Chinese labels, and the charts.
import { openPage, drawnPixels, typeInto, checkUpdateTarget, measureUpdates, valuesOf, currentUrl } from './lib.mjs';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';

const CARDS = ['flops', 'attn', 'hw', 'gpuh', 'days', 'cost', 'mwh', 'co2', 'mem', 'fits'];

/** The training cards as shown. */
async function cards(page) {
  return page.evaluate((ids) => Object.fromEntries(ids.map((k) => [k, document.getElementById(`out-train-${k}`)?.textContent])), CARDS);
}

/** `3.15×10²³` for 3.15e23, as the page's `sci` writes it. */
function sci(x) {
  const e = Math.floor(Math.log10(Math.abs(x)));
  if (e >= -2 && e < 4) return fixed3(x);
  const sup = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  let m = x / 10 ** e;
  let ee = e;
  if (Math.round(Math.abs(m) * 100) / 100 >= 10) { m /= 10; ee += 1; }
  return `${m.toFixed(2)}×10${(ee < 0 ? '⁻' : '') + String(Math.abs(ee)).split('').map((d) => sup[d]).join('')}`;
}
/** Three significant digits in fixed notation (num::sig for magnitudes below 10⁶). */
function fixed3(x) { return x.toFixed(Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x))))); }
/** `$825K`, as `usd(En, x)` writes it. */
function usd(x) {
  for (const [v, u] of [[1e15, 'Q'], [1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']]) if (x >= v) return `$${fixed3(x / v)}${u}`;
  return `$${fixed3(x)}`;
}

export default function register(test, { srv, browser, figures, CLI }) {
  test('a model preset supplies N and N active (the CLI’s --model numbers); a bad config.json is named and the sizes are used', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&sec=training`);
    await typeInto(page, '#f-td', '1e12');
    await page.selectOption('#f-gpu', 'h100-sxm');
    await typeInto(page, '#f-k', '512');
    await typeInto(page, '#f-mfu', '0.4');
    await page.selectOption('#f-tm', 'mixtral-8x7b');
    await page.waitForFunction(() => location.search.includes('tm=mixtral-8x7b'));
    assert.equal(await page.locator('#f-tn').count(), 0, 'the size fields give way to the preset');
    assert.match(await page.textContent('#train-model-counts'), /46\.7 ?B.*12\.9 ?B/);
    // The counts' "how": the sum over the weight matrices with Mixtral's numbers, and its source.
    const how = await page.textContent('#train-model-counts + details.how');
    assert.match(how, /32 MoE layers/);
    assert.match(how, /= 4\.67\d\de10; active .*: 1\.2[89]\d\de10/);
    assert.match(how, /Jiang et al\. 2024, Mixtral of Experts/);
    const cli = JSON.parse(execFileSync(CLI, ['train', '--model', 'mixtral-8x7b', '--tokens', '1e12', '--gpu', 'h100-sxm',
      '--gpus', '512', '--mfu', '0.4', '--price-per-gpu-hour', '2', '--json'], { encoding: 'utf8' }));
    const shown = await cards(page);
    assert.equal(shown.flops, `${sci(cli.flops)} FLOP`);
    assert.equal(shown.cost, usd(cli.cost_usd));
    // Custom with a config that lacks fields: the reason beside the textarea, the sizes in use.
    await page.selectOption('#f-tm', 'custom');
    await page.fill('#f-tcfg', '{"hidden_size": 4096}');
    await page.waitForFunction(() => document.querySelector('#e-tcfg')?.textContent.length > 0);
    assert.match(await page.textContent('#e-tcfg'), /num_hidden_layers/);
    await page.waitForSelector('#f-tn');
    assert.match(await page.textContent('#train-notes'), /size fields|规模/);
    assert.ok((await cards(page)).flops.endsWith('FLOP'));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('params, tokens, GPU, GPU count and MFU typed in give the CLI’s numbers', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&sec=training`);
    await typeInto(page, '#f-tn', '175e9');
    await typeInto(page, '#f-td', '300e9');
    await page.selectOption('#f-gpu', 'a100-80gb');
    await typeInto(page, '#f-k', '2048');
    await typeInto(page, '#f-mfu', '0.45');
    await page.waitForFunction(() => location.search.includes('mfu=0.45') && location.search.includes('gpu=a100-80gb'));
    // The price followed the GPU (issue 18, item 6): the A100 80GB's typical $1.80, as the link says.
    assert.equal(await page.inputValue('#f-price'), '1.8');
    assert.match(await currentUrl(page), /price=1\.8/);
    const shown = await cards(page);
    const cli = JSON.parse(execFileSync(CLI, ['train', '--params', '175e9', '--tokens', '300e9', '--gpu', 'a100-80gb',
      '--gpus', '2048', '--mfu', '0.45', '--price-per-gpu-hour', '1.8', '--json'], { encoding: 'utf8' }));
    assert.equal(shown.flops, `${sci(cli.flops)} FLOP`);
    assert.ok(shown.gpuh.includes(`(${sci(cli.gpu_hours)})`), `${shown.gpuh} vs ${cli.gpu_hours}`);
    assert.equal(shown.days, `${fixed3(cli.wall_days)} days`);
    assert.equal(shown.cost, usd(cli.cost_usd));
    assert.equal(shown.mwh, `${fixed3(cli.energy_mwh)} MWh`);
    assert.equal(shown.co2, `${fixed3(cli.co2_tonnes)} t CO₂e`);
    assert.equal(shown.flops, '3.15×10²³ FLOP');
    // Reloading the link reproduces the inputs and the numbers.
    const page2 = await openPage(browser, (await currentUrl(page)));
    assert.deepEqual(await cards(page2), shown);
    assert.equal(await page2.inputValue('#f-gpu'), 'a100-80gb');
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page2.errors, []);
    await page.context().close();
    await page2.context().close();
  });

  test('changing the ZeRO stage changes the memory per GPU and redraws the bar chart', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&sec=training&zero=0`);
    const canvas = '#chart-train-memory canvas';
    assert.ok((await drawnPixels(page, canvas)) > 2000, 'bar chart drew');
    const before = await cards(page);
    const draws = Number(await page.getAttribute(canvas, 'data-draws'));
    await page.selectOption('#f-zero', '3');
    await page.waitForFunction(() => location.search.includes('zero=3'));
    const after = await cards(page);
    const gbOf = (s) => Number(s.split(' GiB')[0]);
    assert.ok(gbOf(after.mem) < gbOf(before.mem), `${before.mem} → ${after.mem}`);
    assert.equal(after.gpuh, before.gpuh, 'sharding does not change the GPU-hours');
    assert.ok(Number(await page.getAttribute(canvas, 'data-draws')) > draws, 'bar chart redrawn');
    // The days chart drew too.
    assert.ok((await drawnPixels(page, '#chart-train-days canvas')) > 2000);
    const csv = await page.evaluate(() => document.querySelector('#chart-train-memory').textContent);
    assert.match(csv, /CSV/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('an MFU of 1.5 shows an error next to the field and keeps everything else', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&sec=training&mfu=0.5`);
    const before = await cards(page);
    // Pasted in one go (typed, the first keystroke would be a valid MFU of 1).
    await page.fill('#f-mfu', '1.5');
    assert.match(await page.textContent('#e-mfu'), /“1\.5”: outside the allowed range \[0\.001, 1\]\. Not used: still 0\.5\./);
    assert.equal(await page.getAttribute('#f-mfu', 'aria-invalid'), 'true');
    assert.deepEqual(await cards(page), before);
    assert.ok((await currentUrl(page)).includes('mfu=0.5'));
    // Another field still works.
    await typeInto(page, '#f-td', '2.8e12');
    await page.waitForFunction(() => location.search.includes('td=2.8e12'));
    assert.notEqual((await cards(page)).flops, before.flops);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a grid preset sets the intensity and the CO₂ follows', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&sec=training`);
    const before = await cards(page);
    await page.selectOption('#f-grid-preset', 'france');
    await page.waitForFunction(() => document.getElementById('f-grid').value === '0.056');
    const after = await cards(page);
    assert.notEqual(after.co2, before.co2);
    assert.equal(after.mwh, before.mwh);
    assert.ok((await currentUrl(page)).includes('grid=0.056'));
    await typeInto(page, '#f-grid', '0.3');
    assert.equal(await page.inputValue('#f-grid-preset'), 'custom');
    await page.context().close();
  });

  test('cross-field problems are named: TP × PP must divide the GPU count', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&sec=training&k=12&tp=8`);
    assert.match(await page.textContent('#train-notes'), /TP × PP = 8 × 1 must divide the GPU count 12/);
    assert.match(await page.textContent('#out-train-days'), /days/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the validation table shows GPT-3: published, our estimate, the error', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&sec=training`);
    const row = await page.textContent('#train-validation tr[data-run="GPT-3 175B"]');
    assert.match(row, /Training FLOPs/);
    assert.match(row, /3\.14×10²³ FLOP/);
    assert.match(row, /3\.15×10²³ FLOP/);
    assert.match(row, /\+0\.32%/);
    assert.ok((await page.locator('#train-validation tbody tr').count()) >= 8);
    await page.context().close();
  });

  test('a "how" disclosure shows the formula, the values and the datasheet', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&sec=training&gpu=a100-80gb&mfu=0.5`);
    await page.click('[data-key="out-train-gpuh"] details.how summary');
    const text = await page.textContent('[data-key="out-train-gpuh"] details.how');
    assert.match(text, /H = C \/ \(P·MFU·3600\)/);
    assert.match(text, /3\.1200e14 × 0\.5 × 3600/);
    assert.match(text, /NVIDIA A100 Tensor Core GPU datasheet/);
    await page.click('[data-key="out-train-co2"] details.how summary');
    assert.match(await page.textContent('[data-key="out-train-co2"] details.how'), /Llama 2/);
    await page.context().close();
  });

  test('in Chinese (?lang=zh&sec=training) the section reads in Chinese', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&lang=zh&sec=training`);
    assert.match(await page.textContent('#training-title'), /训练/);
    assert.match(await page.textContent('label[for="f-k"]'), /GPU 数量/);
    assert.match(await page.textContent('#out-train-days'), /天$/);
    assert.match(await page.textContent('#out-train-gpuh'), /GPU 小时/);
    assert.match(await page.textContent('#out-train-cost'), /美元$/);
    assert.match(await page.textContent('#train-validation thead'), /本工具估计/);
    assert.match(await page.textContent('#chart-train-memory figcaption'), /每卡显存/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a GPU-count change updates every training number and both charts (target: 16 ms median, figure recorded)', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&sec=training`);
    // Charts off screen are not drawn: look at the charts, as a person changing the input does.
    await page.evaluate(() => document.getElementById('chart-train-days').scrollIntoView());
    await page.waitForFunction(() => Number(document.querySelector('#chart-train-days canvas').dataset.draws) > 0);
    const times = await measureUpdates(page, {
      input: '#f-k', out: '#out-train-days', canvases: ['#chart-train-memory canvas', '#chart-train-days canvas'],
      values: valuesOf(30, (i) => 64 * (1 + (i % 16))),
    });
    figures['training_update_ms_median'] = times.median.toFixed(2);
    figures['training_update_ms_p90'] = times.p90.toFixed(2);
    checkUpdateTarget(figures, 'training', times.median);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the MFU predicted from the layout agrees with the CLI, and one click adopts it', async () => {
    const q = 'v=2&sec=training&tn=175e9&td=300e9&gpu=a100-80gb&k=1024&tp=8&pp=8&rc=full';
    const page = await openPage(browser, `${srv.base}?${q}`);
    await page.waitForSelector('#out-train-predicted');
    const cli = JSON.parse(execFileSync(CLI, ['train', '--params', '175e9', '--tokens', '300e9', '--gpu', 'a100-80gb',
      '--gpus', '1024', '--tp', '8', '--pp', '8', '--recompute', 'full', '--seq-len', '4096', '--zero', '1',
      '--micro-batch', '1', '--json'], { encoding: 'utf8' }));
    const pct = fixed3(cli.predicted.mfu * 100);
    assert.ok((await page.textContent('#out-train-predicted')).includes(`${pct}%`), `${await page.textContent('#out-train-predicted')} vs ${pct}%`);
    // Its how names the step's parts and the calibration's source.
    const how = await page.textContent('[data-key=out-train-predicted] details.how');
    assert.match(how, /compute .* TP .* bubble/);
    assert.match(how, /Narayanan et al\. 2021/);
    await page.click('#use-predicted-mfu');
    const want = Number(cli.predicted.mfu.toPrecision(3));
    await page.waitForFunction((m) => new URLSearchParams(location.search).get('mfu') === String(m), want);
    assert.equal(Number(await page.inputValue('#f-mfu')), want);
    // A GPU without interconnect figures says so; the typed MFU stays in use.
    await page.selectOption('#f-gpu', 'tpu-v4');
    await page.waitForFunction(() => document.querySelector('#out-train-predicted')?.textContent.includes('interconnect'));
    assert.ok(await page.isDisabled('#use-predicted-mfu'));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}
