// Knowledge density section: inputs → equivalent model, URL round trip, CLI agreement, the seed
// table, the fit of a pasted or uploaded models table, row errors by line, "how", Chinese.
import { openPage, drawnPixels, typeInto, checkUpdateTarget, measureUpdates, valuesOf, currentUrl } from './lib.mjs';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const DAYS_PER_MONTH = 30.436875;

/** `1.84×10⁸` → 1.84e8 (the page's scientific notation back to a number). */
function parseSci(text) {
  const sup = { '⁰': 0, '¹': 1, '²': 2, '³': 3, '⁴': 4, '⁵': 5, '⁶': 6, '⁷': 7, '⁸': 8, '⁹': 9 };
  const m = text.match(/(-?[\d.]+)×10([⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)/);
  if (!m) return Number(text.match(/-?[\d.]+/)[0]);
  let e = 0;
  for (const ch of m[2].replace('⁻', '')) e = e * 10 + sup[ch];
  if (m[2].startsWith('⁻')) e = -e;
  return Number(m[1]) * 10 ** e;
}

/** Same to three significant digits. */
function close3(a, b) {
  return Math.abs(a / b - 1) < 0.006;
}

/** A models table whose density doubles exactly every `months` months. */
function syntheticCsv(months, dates) {
  const t0 = Date.parse(dates[0]);
  const rows = dates.map((d, i) => {
    const days = (Date.parse(d) - t0) / 86400000;
    const density = 2 ** (days / DAYS_PER_MONTH / months);
    return `m${i},${d},1e9,${density.toPrecision(15)}`;
  });
  return ['name,date,params,density', ...rows].join('\n') + '\n';
}

const text = (page, sel) => page.textContent(sel);

export default function register(test, { srv, browser, figures, CLI }) {
  test('doubling time and target date change the equivalent model; the URL keeps them; the CLI agrees', async () => {
    const page = await openPage(browser, srv.base);
    await page.waitForSelector('#density-params');
    const before = await text(page, '#density-params');
    await typeInto(page, '#f-dm', '3.3');
    await page.waitForFunction(() => location.search.includes('dm=3.3'));
    await typeInto(page, '#f-dd', '2025-06-01');
    await page.waitForFunction(() => location.search.includes('dd=2025-06-01'));
    const after = await text(page, '#density-params');
    assert.notEqual(after, before);
    // The preset select follows a typed value that matches a preset.
    assert.equal(await page.inputValue('#density-preset'), 'densing-v2-3.3');

    const out = JSON.parse(execFileSync(CLI, ['density', '--reference-params', '175e9', '--reference-date', '2020-05-28',
      '--date', '2025-06-01', '--doubling-months', '3.3', '--bits', '4', '--json'], { encoding: 'utf8' }));
    assert.ok(close3(parseSci(after), out.equivalent_params), `${after} vs ${out.equivalent_params}`);
    const ratio = await text(page, '#density-ratio');
    assert.ok(close3(parseSci(ratio), out.density_ratio), `${ratio} vs ${out.density_ratio}`);
    const flops = await text(page, '#density-flops');
    assert.ok(close3(parseSci(flops), out.inference_flops_per_token), `${flops} vs ${out.inference_flops_per_token}`);
    const [, w, unit] = (await text(page, '#density-weights')).match(/([\d.]+) (TiB|GiB|MiB|KiB|bytes)/);
    const bytes = Number(w) * { TiB: 2 ** 40, GiB: 2 ** 30, MiB: 2 ** 20, KiB: 2 ** 10, bytes: 1 }[unit];
    assert.ok(close3(bytes, out.weight_bytes), `${w} ${unit} vs ${out.weight_bytes}`);

    // Reload: the same inputs and numbers.
    const page2 = await openPage(browser, (await currentUrl(page)));
    await page2.waitForSelector('#density-params');
    assert.equal(await text(page2, '#density-params'), after);
    assert.equal(await page2.inputValue('#f-dm'), '3.3');
    assert.equal(await page2.inputValue('#f-dd'), '2025-06-01');
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page2.errors, []);
    await page.context().close();
    await page2.context().close();
  });

  test('the equivalent model’s serving price follows the date and the Inference section’s price', async () => {
    const page = await openPage(browser, srv.base + '?v=1&sec=density');
    await page.waitForSelector('#density-usd');
    const usdOf = async () => Number((await text(page, '#density-usd')).replace(/[^\d.]/g, ''));
    const a = await usdOf();
    assert.ok(a > 0, `${await text(page, '#density-usd')}`);
    await typeInto(page, '#f-dd', '2030-01-01');
    await page.waitForFunction(() => location.search.includes('dd=2030-01-01'));
    const later = await text(page, '#density-usd');
    assert.notEqual(later, `$${a}`);
    // Twice the serving price (a link from the Inference section): twice the cost per token.
    const page2 = await openPage(browser, srv.base + '?v=1&sec=density&iprice=4');
    const page3 = await openPage(browser, srv.base + '?v=1&sec=density&iprice=8');
    const v2 = Number((await text(page2, '#density-usd')).replace(/[^\d.]/g, ''));
    const v3 = Number((await text(page3, '#density-usd')).replace(/[^\d.]/g, ''));
    assert.ok(Math.abs(v3 / v2 - 2) < 0.02, `${v2} → ${v3}`);
    const how = page.locator('.card[data-key="density-usd"] details.how');
    await how.locator('summary').click();
    assert.match(await how.textContent(), /TensorRT|t_step/);
    for (const p of [page, page2, page3]) { assert.deepEqual(p.errors, []); await p.context().close(); }
  });

  test('effective size: a family’s curve inverted at a score gives N̂ and the density; bad input is named', async () => {
    const page = await openPage(browser, srv.base + '?v=1&sec=density');
    // A family on S(N) = 20 + 60/(1 + e^(−0.9(ln N − ln 5e9))); a 1e9 model scoring what 4e9 scores.
    const S = (n) => 20 + 60 / (1 + Math.exp(-0.9 * (Math.log(n) - Math.log(5e9))));
    const fam = [1e8, 3e8, 1e9, 3e9, 1e10, 3e10, 1e11].map((n) => `${n},${S(n)}`).join('\n');
    await page.locator('#f-fam').scrollIntoViewIfNeeded();
    await page.fill('#f-fam', 'params,score\n' + fam);
    await typeInto(page, '#f-en', '1e9');
    await typeInto(page, '#f-esc', String(S(4e9)));
    await page.waitForFunction(() => /×/.test(document.querySelector('#eff-density')?.textContent ?? ''));
    const d = Number((await text(page, '#eff-density')).replace('×', ''));
    assert.ok(Math.abs(d - 4) < 0.02, `density ${d}`);
    assert.ok((await currentUrl(page)).includes('fam=') && (await currentUrl(page)).includes('en=1e9'));
    // A score above the family's ceiling, then a bad row: each named, the page keeps working.
    await typeInto(page, '#f-esc', '95');
    await page.waitForSelector('#eff-error');
    assert.match(await text(page, '#eff-error'), /outside/);
    await page.fill('#f-fam', 'params,score\n1e9,50\nbig,60');
    await page.waitForSelector('#eff-errors');
    assert.match(await text(page, '#eff-errors'), /3.*big/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('presets: a doubling-time preset sets dm, a reference model sets drp and drd, Hobbhahn sets dhw', async () => {
    const page = await openPage(browser, srv.base);
    await page.selectOption('#density-preset', 'densing-nmi-3.5');
    await page.waitForFunction(() => location.search.includes('dm=3.5'));
    assert.equal(await page.inputValue('#f-dm'), '3.5');
    assert.match(await text(page, '#density .source'), /Nature Machine Intelligence/);

    await page.selectOption('#f-dref', 'llama-1-7b');
    await page.waitForFunction(() => location.search.includes('drd=2023-02-24'));
    assert.equal(await page.inputValue('#f-drp'), '6.7e9');
    assert.equal(await page.inputValue('#f-drd'), '2023-02-24');
    // Editing the size by hand makes the reference custom.
    await typeInto(page, '#f-drp', '7e9');
    await page.waitForFunction(() => location.search.includes('dref=custom'));
    assert.equal(await page.inputValue('#f-dref'), 'custom');

    const combined0 = await text(page, '#density-combined');
    await page.click('#dhw-hobbhahn');
    await page.waitForFunction(() => location.search.includes('dhw=25.2'));
    assert.equal(await page.inputValue('#f-dhw'), '25.2');
    const combined1 = await text(page, '#density-combined');
    assert.ok(parseFloat(combined1) < parseFloat(combined0), `${combined1} < ${combined0}`);
    // A small reference fits the GPU from the start: said, not a date before its release.
    await page.selectOption('#f-dev', 'rtx-4090');
    await page.waitForFunction(() => document.querySelector('#density-fit-date')?.textContent.startsWith('already at release'));
    assert.match(await text(page, '#density-notes'), /already fits NVIDIA RTX 4090/);
    await page.click('#dhw-off');
    await page.waitForFunction(() => !location.search.includes('dhw='));
    assert.ok((await drawnPixels(page, '#chart-density-device canvas')) > 2000);
    assert.ok((await drawnPixels(page, '#chart-density-params canvas')) > 2000);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a bad date is named next to its field; a target before the reference is said', async () => {
    const page = await openPage(browser, srv.base);
    const before = await text(page, '#density-params');
    await typeInto(page, '#f-dd', '2025-13-01');
    assert.match(await text(page, '#e-dd'), /not a date/);
    assert.equal(await text(page, '#density-params'), before);
    await typeInto(page, '#f-dd', '2019-01-01');
    await page.waitForFunction(() => location.search.includes('dd=2019-01-01'));
    assert.equal((await text(page, '#e-dd')).trim(), '');
    assert.match(await text(page, '#density-notes'), /before the reference date 2020-05-28/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the seed claim table: MiniCPM vs GPT-3, the talk, every preset', async () => {
    const page = await openPage(browser, srv.base);
    const rows = await page.$$eval('#density-seed tbody tr', (trs) => trs.map((tr) => tr.textContent));
    assert.equal(rows.length, 2 + 7);
    assert.match(rows[0], /72\.9×/);
    assert.match(rows[1], /86\.0×/);
    assert.equal(await page.$$eval('#density-seed th[scope="col"]', (t) => t.length), 4);
    await page.click('[data-key="density-seed-ratio"] details.how summary');
    assert.match(await text(page, '[data-key="density-seed-ratio"] details.how'), /175e9 \/ 2\.4e9/);
    await page.context().close();
  });

  test('pasting a models table fits the doubling time; the CLI agrees; frontier and upload work', async () => {
    const page = await openPage(browser, srv.base);
    const csv = syntheticCsv(4, ['2023-01-01', '2023-05-01', '2023-09-15', '2024-02-01', '2024-07-01']);
    await page.fill('#f-models', csv);
    await page.waitForSelector('#density-fit-months');
    assert.match(await text(page, '#density-fit-months'), /^4\.00 months/);
    assert.match(await text(page, '#density-fit-r2'), /^1\.00/);
    assert.equal((await text(page, '#density-fit-n')).trim(), '5');
    assert.match(await text(page, '#density-parsed'), /5 models read/);
    assert.ok((await currentUrl(page)).includes('models='), 'the table is kept in the link');

    const dir = mkdtempSync(join(tmpdir(), 'scalecalc-density-'));
    const file = join(dir, 'models.csv');
    writeFileSync(file, csv);
    const out = JSON.parse(execFileSync(CLI, ['density-fit', file, '--json'], { encoding: 'utf8' }));
    assert.equal(out.n_models, 5);
    assert.ok(close3(out.doubling_months, 4), `${out.doubling_months}`);

    // A fitted line with its band and the labelled models draw.
    assert.ok((await drawnPixels(page, '#chart-density canvas')) > 3000);

    // Frontier: a model below the running maximum drops out.
    const noisy = csv + 'laggard,2024-08-01,1e9,0.5\n';
    await page.fill('#f-models', noisy);
    await page.waitForFunction(() => document.querySelector('#density-fit-n')?.textContent.trim() === '6');
    await page.check('#density-frontier');
    await page.waitForFunction(() => document.querySelector('#density-fit-n')?.textContent.trim() === '5');

    // Upload a file.
    await page.setInputFiles('#models-file', { name: 'm.csv', mimeType: 'text/csv', buffer: Buffer.from(syntheticCsv(6, ['2022-01-01', '2022-08-01', '2023-03-01', '2023-10-01'])) });
    await page.waitForFunction(() => document.querySelector('#density-fit-months')?.textContent.startsWith('6.00'));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a bad row of the models table is named by its line number', async () => {
    const page = await openPage(browser, srv.base);
    const csv = 'name,date,params,effective_params\n# a comment line\na,2023-01-01,1e9,1e9\nb,2023-02-30,1e9,2e9\nc,2023-06-01,1e9,4e9\n';
    await page.fill('#f-models', csv);
    await page.waitForFunction(() => document.querySelector('#e-models')?.textContent.includes('Line'));
    const err = await text(page, '#e-models');
    assert.match(err, /Line 4: date “2023-02-30”/);
    await page.fill('#f-models', 'name,date,params,density\na,2023-01-01,-3,1\n');
    await page.waitForFunction(() => document.querySelector('#e-models')?.textContent.includes('greater than 0'));
    assert.match(await text(page, '#e-models'), /Line 2: params/);
    await page.fill('#f-models', 'name,date,params,density\na,2023-01-01,1e9,1\nb,2023-06-01,1e9,2\n');
    await page.waitForFunction(() => document.querySelector('#e-models')?.textContent.includes('at least 3'));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the "how" disclosure of the equivalent model shows formula, values and source', async () => {
    const page = await openPage(browser, srv.base);
    await page.click('[data-key="density-params"] details.how summary');
    const how = await text(page, '[data-key="density-params"] details.how');
    assert.match(how, /N\(t\) = N_ref·2\^\(−Δ\/T\)/);
    assert.match(how, /1\.7500e11/);
    // The value rests on the default doubling time, 8 months: the talk that gives it is the source.
    assert.match(how, /Liu Zhiyuan/);
    await page.click('[data-key="density-fit-date"] details.how summary');
    assert.match(await text(page, '[data-key="density-fit-date"] details.how'), /log₂/);
    await page.context().close();
  });

  test('Chinese: the section speaks Chinese (labels, counts, notes)', async () => {
    const page = await openPage(browser, srv.base + '?lang=zh&dd=2019-06-01');
    assert.match(await text(page, '#density-title'), /能力密度（密度法则）/);
    assert.match(await text(page, 'label[for="f-dm"]'), /密度翻倍时间/);
    assert.match(await text(page, 'label[for="f-dd"]'), /目标日期/);
    assert.match(await text(page, '#density-params'), /亿/);
    assert.match(await text(page, '#density-notes'), /早于参考日期/);
    assert.match(await text(page, '#density-seed thead'), /翻倍时间/);
    await page.fill('#f-models', 'name,date,params,density\na,2023-13-01,1e9,1\n');
    await page.waitForFunction(() => document.querySelector('#e-models')?.textContent.includes('第 2 行'));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
  test('a density input change updates numbers and charts (target: 16 ms median, figure recorded)', async () => {
    const page = await openPage(browser, srv.base);
    // Charts off screen are not drawn: look at the section, as a person changing its inputs does.
    await page.evaluate(() => document.getElementById('chart-density-params').scrollIntoView());
    await page.waitForFunction(() => Number(document.querySelector('#chart-density-device canvas').dataset.draws) > 0);
    const times = await measureUpdates(page, {
      input: '#f-dm', out: '#density-params', canvases: ['#chart-density-params canvas', '#chart-density-device canvas'],
      values: valuesOf(30, (i) => `${3 + (i % 7)}.${i % 10}`),
    });
    figures['density_update_ms_median'] = times.median.toFixed(2);
    figures['density_update_ms_p90'] = times.p90.toFixed(2);
    checkUpdateTarget(figures, 'density', times.median);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
  test('axe-core: no serious or critical violations in the section (light, dark, with a fit)', async () => {
    const axe = new URL('../../node_modules/axe-core/axe.min.js', import.meta.url).pathname;
    const csv = encodeURIComponent(syntheticCsv(4, ['2023-01-01', '2023-05-01', '2023-09-15', '2024-02-01']));
    for (const q of [`?models=${csv}`, `?theme=dark&lang=zh&dd=2019-01-01&models=${csv}`]) {
      const page = await openPage(browser, srv.base + q);
      await page.waitForSelector('#density-fit-months');
      await page.addScriptTag({ path: axe });
      const bad = await page.evaluate(async () => {
        const r = await window.axe.run('#density');
        return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      });
      assert.deepEqual(bad, [], q);
      await page.context().close();
    }
  });
}
