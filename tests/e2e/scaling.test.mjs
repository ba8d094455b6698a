// Scaling laws section: law switching with the URL, CLI agreement, the inference-aware card, a "how"
// disclosure, Chinese labels, charts drawn, input → update time.
import { openPage, waitRendered, drawnPixels, typeInto, checkUpdateTarget, measureUpdates, valuesOf, currentUrl } from './lib.mjs';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const CARDS = ['sc-params', 'sc-tokens', 'sc-tpp', 'sc-loss', 'sc-batch', 'sc-lr'];

async function cards(page, ids = CARDS) {
  return page.evaluate((ids) => Object.fromEntries(ids.map((id) => [id, document.getElementById(id)?.textContent])), ids);
}

/** `3.22×10¹⁰` → 3.22e10 (the page's scientific notation back to a number). */
function parseSci(text) {
  const sup = { '⁰': 0, '¹': 1, '²': 2, '³': 3, '⁴': 4, '⁵': 5, '⁶': 6, '⁷': 7, '⁸': 8, '⁹': 9 };
  const m = text.match(/([\d.]+)×10([⁻]?)([⁰¹²³⁴⁵⁶⁷⁸⁹]+)/);
  if (!m) return NaN;
  const e = Number([...m[3]].map((c) => sup[c]).join('')) * (m[2] ? -1 : 1);
  return Number(m[1]) * 10 ** e;
}

/** Scrolls a chart into view and waits until it has drawn (charts off screen are not drawn). */
async function seeChart(page, id) {
  await page.locator(`#chart-${id}`).scrollIntoViewIfNeeded();
  await page.waitForFunction((id) => Number(document.querySelector(`#chart-${id} canvas`).dataset.draws) > 0, id);
}

/** The data sets shipped in the repository (provenance in data/README.md). */
const DATA = new URL('../../data', import.meta.url).pathname;

/** The Epoch replication's 240 points (README: drop the 5 highest losses; D = C/(6N)) as CSV. */
function epochCsv() {
  const lines = readFileSync(`${DATA}/chinchilla_epoch/svg_extracted_data.csv`, 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const [iN, iC, iL] = ['Model Size', 'Training FLOP', 'loss'].map((h) => head.indexOf(h));
  const rows = lines.slice(1).map((l) => l.split(',')).map((r) => ({ n: Number(r[iN]), c: Number(r[iC]), l: Number(r[iL]) }));
  rows.sort((a, b) => a.l - b.l);
  const kept = rows.slice(0, rows.length - 5);
  assert.equal(kept.length, 240);
  return 'params,tokens,loss\n' + kept.map((r) => `${r.n},${r.c / (6 * r.n)},${r.l}`).join('\n');
}

/** Pastes text into the runs table as a person would (one input event with the whole text). */
async function pasteRuns(page, text) {
  await page.locator('#f-runs').scrollIntoViewIfNeeded();
  await page.fill('#f-runs', text);
}

/** Runs a job and counts animation frames while it runs: [elapsed ms, frames, longest gap ms]. */
async function timed(page, button, doneSelector) {
  await page.evaluate(() => {
    window.__frames = []; window.__stop = false; window.__long = [];
    window.__obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); });
    window.__obs.observe({ type: 'longtask' });
    const tick = (t) => { window.__frames.push(t); if (!window.__stop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  const t0 = Date.now();
  await page.click(button);
  await page.waitForSelector('#fit-progress');
  await page.waitForSelector('#fit-progress', { state: 'detached', timeout: 60000 });
  const ms = Date.now() - t0;
  await page.waitForSelector(doneSelector);
  const [frames, gap, p95, longest] = await page.evaluate(() => {
    window.__stop = true;
    window.__obs.disconnect();
    const f = window.__frames;
    const gaps = [];
    for (let i = 1; i < f.length; i++) gaps.push(f[i] - f[i - 1]);
    gaps.sort((a, b) => a - b);
    return [f.length, gaps[gaps.length - 1] || 0, gaps[Math.floor(gaps.length * 0.95)] || 0, Math.max(0, ...window.__long)];
  });
  return [ms, frames, gap, p95, longest];
}

/** Responsive: animation frames keep coming and no task blocks the main thread for long (the
 *  browser's long-task timing; frame gaps are recorded too but also grow when other processes
 *  load this shared machine). */
const RESPONSIVE_LONGEST_TASK_MS = 100;

const close = (a, b, rel) => Math.abs(a / b - 1) <= rel;
/** The page shows three significant digits. */
const SHOWN_REL = 6e-3;

export default function register(test, { srv, browser, figures, CLI }) {
  test('section renders, every law has its source, charts draw, no console errors', async () => {
    const page = await openPage(browser, srv.base);
    await page.waitForSelector('#scaling');
    assert.match(await page.textContent('#scaling h2'), /Scaling laws/);
    const options = await page.$$eval('#sc-law option', (os) => os.map((o) => [o.value, o.textContent]));
    const ids = options.map((o) => o[0]);
    // Human names, not ids (issue 18, item 5).
    for (const [id, text] of options) assert.ok(id === 'fit' || !text.includes(id), `law option shows its id: ${text}`);
    for (const id of ['hoffmann2022', 'hoffmann2022-tex', 'besiroglu2024', 'sardana2024', 'kaplan2020', 'deepseek2024', 'llama3-2024']) {
      assert.ok(ids.includes(id), `law ${id} missing`);
    }
    const rows = await page.$$eval('#sc-laws tbody tr', (rs) => rs.map((r) => [r.cells[0].textContent, r.cells[3].textContent, r.cells[4].textContent]));
    assert.equal(rows.length, 7);
    for (const [id, src, where] of rows) assert.ok(src.length > 5 && where.length > 2, `${id}: source ${src} / ${where}`);
    assert.match(await page.textContent('#sc-source'), /Hoffmann et al\. 2022/);
    for (const id of ['sc-compare', 'sc-tpp', 'sc-isoflop', 'sc-isoloss']) {
      await seeChart(page, id);
      const px = await drawnPixels(page, `#chart-${id} canvas`);
      assert.ok(px > 2000, `${id} drew only ${px} pixels`);
    }
    const n = await cards(page);
    assert.match(n['sc-params'], /3\.22×10¹⁰/);
    assert.match(n['sc-tokens'], /2\.98×10¹²/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('switching laws changes the numbers and the URL; the link reproduces them', async () => {
    const page = await openPage(browser, srv.base);
    await page.waitForSelector('#sc-params');
    const seen = new Map();
    for (const id of ['hoffmann2022', 'besiroglu2024', 'kaplan2020', 'deepseek2024', 'llama3-2024']) {
      await page.selectOption('#sc-law', id);
      if (id !== 'hoffmann2022') await page.waitForFunction((id) => location.search.includes(`law=${id}`), id);
      const n = await cards(page);
      assert.ok(![...seen.values()].includes(n['sc-params']), `${id}: N* same as another law (${n['sc-params']})`);
      seen.set(id, n['sc-params']);
      assert.match(await page.textContent('#sc-source'), /\d{4}/);
    }
    // Allocation-only: no loss, a message says why, no iso charts.
    assert.equal((await cards(page))['sc-loss'].trim(), '—');
    assert.match(await page.textContent('#sc-notes'), /allocation only/);
    assert.ok(await page.$('#sc-no-loss-charts'));
    const url = (await currentUrl(page));
    const page2 = await openPage(browser, url);
    await page2.waitForSelector('#sc-params');
    assert.equal(await page2.inputValue('#sc-law'), 'llama3-2024');
    assert.equal((await cards(page2))['sc-params'], seen.get('llama3-2024'));
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page2.errors, []);
    await page.context().close();
    await page2.context().close();
  });

  test('scalecalc optimal --law X --flops C --json agrees with the cards', async () => {
    for (const [law, c] of [['hoffmann2022', '5.76e23'], ['besiroglu2024', '1e22'], ['kaplan2020', '3e21'], ['deepseek2024', '1e24'], ['llama3-2024', '3.8e25']]) {
      const page = await openPage(browser, `${srv.base}?v=1&law=${law}&c=${c}`);
      await page.waitForSelector('#sc-params');
      const n = await cards(page);
      const out = JSON.parse(execFileSync(CLI, ['optimal', '--law', law, '--flops', c, '--json'], { encoding: 'utf8' }));
      assert.ok(close(parseSci(n['sc-params']), out.params, SHOWN_REL), `${law}: ${n['sc-params']} vs ${out.params}`);
      assert.ok(close(parseSci(n['sc-tokens']), out.tokens, SHOWN_REL), `${law}: ${n['sc-tokens']} vs ${out.tokens}`);
      assert.ok(close(Number(n['sc-tpp']), out.tokens_per_param, SHOWN_REL), `${law}: ${n['sc-tpp']} vs ${out.tokens_per_param}`);
      if (out.loss == null) assert.equal(n['sc-loss'].trim(), '—');
      else assert.ok(n['sc-loss'].startsWith(out.loss.toPrecision(4)), `${law}: ${n['sc-loss']} vs ${out.loss}`);
      await page.context().close();
    }
  });

  test('inference-aware card agrees with the CLI and follows the inputs', async () => {
    const page = await openPage(browser, srv.base);
    await page.waitForSelector('#sc-ia-params');
    await typeInto(page, '#f-tl', '2.1');
    await typeInto(page, '#f-it', '2e13');
    await page.waitForFunction(() => location.search.includes('tl=2.1') && location.search.includes('it=2e13'));
    const ids = ['sc-ia-params', 'sc-ia-tokens', 'sc-ch-params', 'sc-ch-tokens', 'sc-ia-saving'];
    const n = await cards(page, ids);
    const out = JSON.parse(execFileSync(CLI, ['optimal', '--law', 'hoffmann2022', '--loss', '2.1', '--inference-tokens', '2e13', '--json'], { encoding: 'utf8' }));
    assert.ok(close(parseSci(n['sc-ia-params']), out.params, SHOWN_REL), `${n['sc-ia-params']} vs ${out.params}`);
    assert.ok(close(parseSci(n['sc-ia-tokens']), out.tokens, SHOWN_REL), `${n['sc-ia-tokens']} vs ${out.tokens}`);
    assert.ok(close(parseSci(n['sc-ch-params']), out.chinchilla_params, SHOWN_REL));
    assert.ok(close(parseSci(n['sc-ch-tokens']), out.chinchilla_tokens, SHOWN_REL));
    // Serving many tokens: a smaller model trained longer than Chinchilla's.
    assert.ok(parseSci(n['sc-ia-params']) < parseSci(n['sc-ch-params']));
    assert.match(n['sc-ia-saving'], /^[\d.]+%/);
    // An unreachable target is named, and the page keeps working.
    await typeInto(page, '#f-tl', '1.5');
    await page.waitForFunction(() => document.getElementById('sc-notes')?.textContent.includes('unreachable'));
    assert.match(await page.textContent('#sc-notes'), /1\.5.*1\.69/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the dollar-priced optimum agrees with the CLI and follows the serving price', async () => {
    const page = await openPage(browser, srv.base + '?v=1&tl=2.1&it=2e13');
    await page.waitForSelector('#sc-priced-params');
    const ids = ['sc-priced-params', 'sc-priced-tokens', 'sc-priced-usd', 'sc-priced-saving'];
    const n = await cards(page, ids);
    const out = JSON.parse(execFileSync(CLI, ['scenario', '--url', (await currentUrl(page)), '--json'], { encoding: 'utf8' })).priced_optimum;
    assert.ok(close(parseSci(n['sc-priced-params']), out.params, SHOWN_REL), `${n['sc-priced-params']} vs ${out.params}`);
    assert.ok(close(parseSci(n['sc-priced-tokens']), out.tokens, SHOWN_REL), `${n['sc-priced-tokens']} vs ${out.tokens}`);
    assert.match(n['sc-priced-saving'], new RegExp(`^${(out.saving * 100).toPrecision(3)}%`));
    // Dearer serving: a smaller model still (the page reads the Inference section's price).
    const page2 = await openPage(browser, srv.base + '?v=1&tl=2.1&it=2e13&iprice=30');
    await page2.waitForSelector('#sc-priced-params');
    const n2 = await cards(page2, ids);
    assert.ok(parseSci(n2['sc-priced-params']) < parseSci(n['sc-priced-params']), `${n2['sc-priced-params']} vs ${n['sc-priced-params']}`);
    const how = page2.locator('.card[data-key="sc-priced-usd"] details.how');
    await how.locator('summary').click();
    assert.match(await how.textContent(), /Sardana/);
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page2.errors, []);
    await page.context().close();
    await page2.context().close();
  });

  test('data-constrained cards appear with unique tokens set', async () => {
    const page = await openPage(browser, srv.base);
    await page.waitForSelector('#sc-dc-hint');
    await typeInto(page, '#f-ut', '5e11');
    await page.waitForSelector('#sc-dc-epochs');
    assert.match(await page.textContent('#sc-dc-epochs'), /epochs/);
    assert.ok((await currentUrl(page)).includes('ut=5e11'));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a "how" disclosure shows formula, values and source', async () => {
    const page = await openPage(browser, srv.base + '?v=1&c=1e23');
    await page.waitForSelector('#sc-batch');
    await page.click('[data-key="sc-batch"] details.how summary');
    const text = await page.textContent('[data-key="sc-batch"] details.how');
    assert.match(text, /B_opt = 0\.2920·C\^0\.3271/);
    assert.match(text, /1\.000e23/);
    assert.match(text, /DeepSeek/);
    await page.click('[data-key="sc-ia-saving"] details.how summary');
    assert.match(await page.textContent('[data-key="sc-ia-saving"] details.how'), /Sardana/);
    await page.context().close();
  });

  test('Chinese labels with ?lang=zh', async () => {
    const page = await openPage(browser, srv.base + '?v=1&lang=zh');
    await page.waitForSelector('#scaling');
    assert.match(await page.textContent('#scaling h2'), /规模定律/);
    assert.match(await page.textContent('[data-key="sc-params"] .card-label'), /最优参数量/);
    assert.match(await page.textContent('#sc-params'), /322亿/);
    assert.match(await page.textContent('#chart-sc-compare figcaption'), /各定律/);
    assert.match(await page.textContent('#sc-laws thead'), /来源/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('budget change → every visible scaling number and chart updated (median ms)', async () => {
    // A window showing the four charts (charts off screen are not drawn).
    const page = await openPage(browser, srv.base, { viewport: { width: 1280, height: 1200 } });
    await page.waitForSelector('#sc-params');
    await page.evaluate(() => document.getElementById('chart-sc-compare').scrollIntoView());
    for (const id of ['sc-compare', 'sc-tpp', 'sc-isoflop', 'sc-isoloss']) {
      await page.waitForFunction((id) => Number(document.querySelector(`#chart-${id} canvas`).dataset.draws) > 0, id);
    }
    const ids = ['sc-compare', 'sc-tpp', 'sc-isoflop', 'sc-isoloss'];
    const offscreen = await page.evaluate((ids) => ids.filter((id) => {
      const r = document.querySelector(`#chart-${id} canvas`).getBoundingClientRect();
      return r.bottom < 0 || r.top > innerHeight;
    }), ids);
    assert.deepEqual(offscreen, [], 'every chart on screen');
    const times = await measureUpdates(page, {
      input: '#f-sc-c', out: '#sc-lr', canvases: ids.map((id) => `#chart-${id} canvas`),
      values: valuesOf(30, (i) => `${1 + (i % 9)}.5e${20 + (i % 6)}`),
    });
    figures['scaling_update_ms_median'] = times.median.toFixed(2);
    figures['scaling_update_ms_p90'] = times.p90.toFixed(2);
    checkUpdateTarget(figures, 'scaling', times.median);
    assert.ok((await currentUrl(page)).includes('c='));
    await page.context().close();
  });

  test('fit: paste the 240 Epoch points, fit (≤ 1 s, page responsive), constants, band, residuals; bootstrap 1,000 (≤ 3 s)', async () => {
    const page = await openPage(browser, srv.base + '?v=1&boot=1000');
    const workerFiles = [];
    page.on('requestfinished', (r) => { if (/fit-worker/.test(r.url())) workerFiles.push(r.url()); });
    await pasteRuns(page, epochCsv());
    await page.waitForSelector('#runs-ok');
    assert.match(await page.textContent('#runs-ok'), /240 runs/);
    const [fitMs, frames, gap, p95, longTask] = await timed(page, '#fit-run', '#fit-table');
    // The starts ran in the web workers (their script and wasm were loaded, from the sub-path).
    assert.ok(workerFiles.some((u) => u.endsWith('fit-worker_bg.wasm')), `worker files: ${workerFiles}`);
    const pageMs = Number((await page.textContent('#fit-table caption')).match(/(\d+) ms/)[1]);
    figures['fit_page_ms'] = pageMs;
    figures['fit_wall_ms'] = fitMs;
    figures['fit_frames'] = frames;
    figures['fit_longest_frame_gap_ms'] = gap.toFixed(0);
    figures['fit_p95_frame_gap_ms'] = p95.toFixed(0);
    // Target (issue 3): ≤ 1 s. Recorded always; enforced with SCALECALC_STRICT_TARGETS=1 (the
    // fit itself, not the page, sets this time: see the report's native figure).
    figures['fit_page_target_1s'] = pageMs <= 1000 ? 'met' : 'MISSED';
    if (process.env.SCALECALC_STRICT_TARGETS === '1') assert.ok(pageMs <= 1000, `fit took ${pageMs} ms in the page`);
    figures['fit_longest_task_ms'] = longTask.toFixed(0);
    assert.ok(frames >= 5 && longTask < RESPONSIVE_LONGEST_TASK_MS, `page not responsive during the fit: ${frames} frames, longest task ${longTask} ms`);
    // The replication's pure-Huber optimum (data/README.md): E ≈ 1.8172, α ≈ 0.3473, β ≈ 0.3672.
    const alpha = Number(await page.textContent('#fit-alpha'));
    const beta = Number(await page.textContent('#fit-beta'));
    const E = Number(await page.textContent('#fit-E'));
    assert.ok(Math.abs(alpha / 0.3473 - 1) < 0.005, `alpha ${alpha}`);
    assert.ok(Math.abs(beta / 0.3672 - 1) < 0.005, `beta ${beta}`);
    assert.ok(Math.abs(E / 1.8172 - 1) < 0.005, `E ${E}`);
    assert.match(await page.textContent('#fit-table caption'), /240 runs/);
    assert.match(await page.textContent('#fit-boundary'), /inside|boundary/);
    await page.click('#fit-table tr:nth-child(1) details.how summary');
    assert.match(await page.textContent('#fit-table tr:nth-child(1) details.how'), /App\. D\.2/);
    await seeChart(page, 'sc-residuals');
    assert.ok((await drawnPixels(page, '#chart-sc-residuals canvas')) > 2000);

    // Bootstrap, 1,000 resamples.
    const [bootMs, bframes, bgap, bp95, blong] = await timed(page, '#boot-run', '#boot-summary');
    const bootPageMs = Number((await page.textContent('#boot-summary')).match(/in (\d+) ms/)[1]);
    figures['bootstrap_1000_page_ms'] = bootPageMs;
    figures['bootstrap_wall_ms'] = bootMs;
    figures['bootstrap_longest_frame_gap_ms'] = bgap.toFixed(0);
    figures['bootstrap_page_target_3s'] = bootPageMs <= 3000 ? 'met' : 'MISSED';
    if (process.env.SCALECALC_STRICT_TARGETS === '1') assert.ok(bootPageMs <= 3000, `bootstrap took ${bootPageMs} ms`);
    figures['bootstrap_p95_frame_gap_ms'] = bp95.toFixed(0);
    figures['bootstrap_longest_task_ms'] = blong.toFixed(0);
    assert.ok(bframes >= 5 && blong < RESPONSIVE_LONGEST_TASK_MS, `page not responsive during the bootstrap: ${bframes} frames, longest task ${blong} ms`);
    const ci = await page.textContent('#ci-alpha');
    const [lo, hi] = ci.match(/[\d.]+/g).map(Number);
    assert.ok(lo < alpha && alpha < hi, `alpha ${alpha} outside ${ci}`);
    // The fit, with its band, in the law comparison; choosing law "fit" uses it.
    await page.selectOption('#sc-law', 'fit');
    await page.waitForFunction(() => location.search.includes('law=fit'));
    assert.match(await page.textContent('#sc-source'), /your runs/);
    // N* of the fit at the default budget, in the card, matches the fit's own optimum.
    assert.match(await page.textContent('#sc-params'), /×10/);
    // The plan follows law "fit" too: its N* is the scaling card's (same budget), not Hoffmann's.
    const planN = await page.textContent('#out-params .value, #out-params');
    const scN = await page.textContent('#sc-params');
    const sciOf = (s) => s.match(/\d(?:\.\d+)?\s*×\s*10\S+/)[0];
    assert.equal(sciOf(planN), sciOf(scN));
    // …with the bootstrap's band at the plan's budget.
    assert.match(await page.textContent('#plan-band'), /N\* \[.*\].*1000 resamples/);
    // Its "how": the percentile interval over the refitted resamples, with the numbers and source.
    const bandHow = await page.textContent('#plan-band + details.how');
    assert.match(bandHow, /N\* ∈ \[\d\.\d{4}e\d+, \d\.\d{4}e\d+\]/);
    assert.match(bandHow, /of 1000 resamples that refitted/);
    assert.match(bandHow, /Efron & Tibshirani 1993/);
    assert.deepEqual(page.errors, []);
    // The link (runs + law=fit) reopens to the same numbers: the page refits the runs by itself.
    const link = (await currentUrl(page));
    await page.context().close();
    const again = await openPage(browser, link);
    await again.waitForSelector('#fit-table', { timeout: 30000 });
    await again.waitForFunction((want) => document.querySelector('#sc-params')?.textContent === want, scN);
    assert.equal(sciOf(await again.textContent('#out-params')), sciOf(planN));
    assert.equal(await again.textContent('#fit-alpha'), String(alpha));
    assert.deepEqual(again.errors, []);
    await again.context().close();
  });

  test('fit: with the worker files blocked, the fit runs on the page and gives the same constants', async () => {
    // The table's body: the five constants and, in their "how" disclosures, x to 6 decimals and
    // the objective to 7 digits.
    const constants = (page) => page.textContent('#fit-table tbody');
    const runOnce = async (block) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      if (block) await context.route('**/fit-worker*', (r) => r.abort());
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(srv.base + '?v=1');
      await waitRendered(page);
      await pasteRuns(page, epochCsv());
      await page.waitForSelector('#runs-ok');
      const [ms, frames, , , longTask] = await timed(page, '#fit-run', '#fit-table');
      const c = await constants(page);
      await context.close();
      assert.deepEqual(errors, []);
      return { c, ms, frames, longTask };
    };
    const viaWorkers = await runOnce(false);
    const onPage = await runOnce(true);
    assert.deepEqual(onPage.c, viaWorkers.c);
    assert.ok(onPage.frames >= 5 && onPage.longTask < RESPONSIVE_LONGEST_TASK_MS, `page not responsive: ${JSON.stringify(onPage)}`);
    figures['fit_without_workers_wall_ms'] = onPage.ms;
  });

  test('approach 2: the iso-FLOP exponent follows the pasted runs and the tolerance; too few groups are named', async () => {
    const page = await openPage(browser, srv.base + '?v=1');
    await pasteRuns(page, epochCsv());
    await page.waitForSelector('#iso-a');
    const a = Number(await page.textContent('#iso-a'));
    assert.ok(Math.abs(a - 0.49) < 0.02, `a = ${a} (Hoffmann et al. approach 2: 0.49)`);
    assert.equal(Number(await page.textContent('#iso-b')), Number((1 - a).toPrecision(4)));
    await page.click('#iso-table tr:nth-child(1) details.how summary');
    assert.match(await page.textContent('#iso-table tr:nth-child(1) details.how'), /§3\.2/);
    // A wider grouping changes the answer and the link; a bad one is refused beside the field.
    await typeInto(page, '#f-isotol', '0.3');
    await page.waitForFunction(() => location.search.includes('isotol=0.3'));
    await page.waitForFunction((a0) => document.querySelector('#iso-a')?.textContent !== a0, String(a));
    await typeInto(page, '#f-isotol', '1.5');
    await page.waitForSelector('#e-isotol:not(:empty)');
    assert.ok((await currentUrl(page)).includes('isotol=0.3'));
    // Runs of one compute budget: no power law, and the reason.
    await pasteRuns(page, 'params,tokens,loss\n1e8,1e10,3.1\n2e8,5e9,3.0\n4e8,2.5e9,3.05\n8e8,1.25e9,3.2\n1.6e9,6.25e8,3.4');
    await page.waitForSelector('#iso-error');
    assert.match(await page.textContent('#iso-error'), /at least 2/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('hyper-parameter law: points on DeepSeek’s batch law give its exponent; a bad row is named by line', async () => {
    const page = await openPage(browser, srv.base + '?v=1');
    // Points on B = 0.2920·C^0.3271 with ±3% multiplicative wiggle: the fit recovers p ≈ 0.327.
    const wiggle = [1.03, 0.97, 1.02, 0.98, 1.0, 1.01];
    const pts = [1e17, 1e18, 1e19, 1e20, 1e21, 1e22].map((c, i) => `${c},${0.292 * c ** 0.3271 * wiggle[i]}`);
    await page.locator('#f-hp').scrollIntoViewIfNeeded();
    await page.fill('#f-hp', 'compute,batch\n' + pts.join('\n'));
    await page.waitForSelector('#hp-summary');
    const p = Number((await page.textContent('#hp-summary')).match(/p = ([\d.]+)/)[1]);
    assert.ok(Math.abs(p - 0.3271) < 0.01, `p = ${p}`);
    assert.match(await page.textContent('#hp-at-budget'), /DeepSeek/);
    assert.ok((await currentUrl(page)).includes('hp='));
    // The learning-rate reading, then a bad row: named with its line, nothing else lost.
    await page.selectOption('#f-hpk', 'lr');
    await page.waitForFunction(() => location.search.includes('hpk=lr'));
    await page.fill('#f-hp', 'compute,lr\n1e18,0.002\n1e19,abc\n1e20,0.001');
    await page.waitForSelector('#hp-errors');
    assert.match(await page.textContent('#hp-errors'), /3.*abc/);
    assert.ok(await page.isVisible('#out-params'));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('fit: the band is in the comparison chart data (CSV export)', async () => {
    const page = await openPage(browser, srv.base + '?v=1&boot=50');
    await pasteRuns(page, epochCsv());
    await page.click('#fit-run');
    await page.waitForSelector('#fit-table');
    await page.click('#boot-run');
    await page.waitForSelector('#boot-summary', { timeout: 30000 });
    await seeChart(page, 'sc-compare');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#chart-sc-compare .exports button:nth-child(2)'),
    ]);
    const text = readFileSync(await download.path(), 'utf8');
    assert.match(text, /Your fit \(band\)/);
    assert.ok(text.split('\n').filter((l) => l.startsWith('Your fit (band)')).length > 20);
    await page.context().close();
  });

  test('fit: a bad row is named with its line number; Fit stays disabled; cancel keeps the page working', async () => {
    const page = await openPage(browser, srv.base);
    await pasteRuns(page, 'params,tokens,loss\n1e8,2e9,3.1\n3e8,6e9,2.8\n1e9,oops,2.5\n3e9,6e10,-2\n1e10,2e11,2.2\n');
    await page.waitForSelector('#runs-errors');
    const err = await page.textContent('#runs-errors');
    assert.match(err, /Line 4, column tokens: 'oops' is not a number/);
    assert.match(err, /Line 5, column loss: -2 must be a finite number greater than 0/);
    assert.ok(await page.isDisabled('#fit-run'));
    // The same rows in Chinese: the reason is translated too, not only its frame.
    await page.selectOption('#lang', 'zh');
    await page.waitForFunction(() => document.querySelector('#runs-errors').textContent.includes('第 4 行'));
    const zh = await page.textContent('#runs-errors');
    assert.match(zh, /第 4 行，列 tokens：“oops”不是数字/);
    assert.match(zh, /第 5 行，列 loss：-2 必须是大于 0 的有限数/);
    assert.doesNotMatch(zh, /number|value/);
    await page.selectOption('#lang', 'en');
    // Cancel: start a fit on good data and cancel it at once.
    await pasteRuns(page, epochCsv());
    await page.waitForSelector('#runs-ok');
    await page.click('#fit-run');
    await page.click('#fit-cancel');
    await page.waitForSelector('#fit-status');
    assert.match(await page.textContent('#fit-status'), /Cancelled/);
    assert.equal(await page.$('#fit-table'), null);
    await typeInto(page, '#f-sc-c', '1e22');
    await page.waitForFunction(() => location.search.includes('c=1e22'));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('fit: an Epoch table with other headers — one column choice, two runs excluded, the link keeps both; "Your fit" offered only after a fit', async () => {
    const page = await openPage(browser, srv.base + '?v=2');
    const offersFit = (sel) => page.$$eval(`${sel} option`, (os) => os.some((o) => o.value === 'fit'));
    await page.waitForSelector('#sc-law');
    assert.equal(await offersFit('#sc-law'), false, 'Scaling offers "Your fit" with no fit');
    assert.equal(await offersFit('#f-law'), false, 'the Plan offers "Your fit" with no fit');
    // Epoch AI's own table (Besiroglu et al. 2024: x, y, color, Model Size, Training FLOP, hex_color,
    // loss), with its own headers but the loss column renamed, so that one column must be chosen;
    // only three of its columns, written to 6 digits in scientific notation, so that the link stays
    // short enough for the test server.
    const raw = readFileSync(`${DATA}/chinchilla_epoch/svg_extracted_data.csv`, 'utf8').trim().split('\n').map((l) => l.split(','));
    const text = raw.map((r, i) => (i === 0 ? ['Model Size', 'Training FLOP', 'val'] : [r[3], r[4], r[6]].map((v) => Number(v).toPrecision(6))).join(',')).join('\n');
    await pasteRuns(page, text);
    await page.waitForSelector('#runs-map');
    assert.equal(await page.inputValue('#rmap-params'), 'Model Size');
    assert.equal(await page.inputValue('#rmap-flops'), 'Training FLOP');
    assert.equal(await page.inputValue('#rmap-loss'), '');
    assert.match(await page.textContent('#runs-errors'), /Choose the column for: Final loss L/);
    assert.ok(await page.isDisabled('#fit-run'));
    await page.selectOption('#rmap-loss', 'val');
    await page.waitForSelector('#runs-ok');
    assert.match(await page.textContent('#runs-ok'), /245 runs/);
    await page.waitForFunction(() => location.search.includes('rmap=') && location.search.includes('Training%20FLOP'));
    await page.click('#fit-run');
    await page.waitForSelector('#fit-table', { timeout: 60000 });
    assert.match(await page.textContent('#fit-table caption'), /245 runs/);
    const all = await page.textContent('#fit-table tbody');
    assert.equal(await offersFit('#sc-law'), true, 'Scaling offers "Your fit" once fitted');
    assert.equal(await offersFit('#f-law'), true, 'the Plan offers "Your fit" once fitted');
    // Exclude the two runs of highest loss (numbered as the table numbers them): the fit is redone.
    const losses = text.split('\n').slice(1).map((l) => Number(l.split(',')[2]));
    const worst = losses.map((l, i) => [l, i + 1]).sort((a, b) => b[0] - a[0]).slice(0, 2).map((p) => p[1]).sort((a, b) => a - b);
    await page.click('#runs-table-box summary');
    for (const r of worst) await page.check(`#rx-${r}`);
    await page.waitForFunction(() => /245 runs, 2 excluded; 243 go into the fit/.test(document.querySelector('#runs-ok')?.textContent));
    await page.waitForFunction(() => /243 runs/.test(document.querySelector('#fit-table caption')?.textContent), null, { timeout: 60000 });
    await page.waitForSelector('#fit-progress', { state: 'detached', timeout: 60000 });
    const kept = await page.textContent('#fit-table tbody');
    assert.notEqual(kept, all);
    assert.ok((await currentUrl(page)).includes(`rx=${worst[0]}%2C${worst[1]}`), await currentUrl(page));
    // The excluded runs are on the residuals chart, as their own (hollow) series.
    await seeChart(page, 'sc-residuals');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#chart-sc-residuals .exports button:nth-child(2)'),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.equal(csv.split('\n').filter((l) => l.startsWith('excluded runs')).length, 2, csv.slice(0, 300));
    // Put one back and exclude it again: the count follows.
    await page.uncheck(`#rx-${worst[0]}`);
    await page.waitForFunction(() => /1 excluded/.test(document.querySelector('#runs-ok')?.textContent));
    await page.check(`#rx-${worst[0]}`);
    await page.waitForFunction(() => /2 excluded/.test(document.querySelector('#runs-ok')?.textContent));
    await page.waitForFunction(() => /243 runs/.test(document.querySelector('#fit-table caption')?.textContent), null, { timeout: 60000 });
    await page.waitForSelector('#fit-progress', { state: 'detached', timeout: 60000 });
    assert.equal(await page.textContent('#fit-table tbody'), kept);
    // Law "fit", then the link: the same mapping, the same exclusions, the same fit.
    await page.selectOption('#sc-law', 'fit');
    await page.waitForFunction(() => location.search.includes('law=fit'));
    assert.equal(await page.$('#sc-law-fit-note'), null);
    const link = await currentUrl(page);
    assert.deepEqual(page.errors, []);
    await page.context().close();
    const again = await openPage(browser, link);
    await again.waitForSelector('#fit-table', { timeout: 60000 });
    await again.waitForFunction(() => /243 runs/.test(document.querySelector('#fit-table caption')?.textContent));
    assert.equal(await again.textContent('#fit-table tbody'), kept);
    assert.equal(await again.inputValue('#rmap-loss'), 'val');
    assert.equal(await again.isChecked(`#rx-${worst[1]}`), true);
    assert.equal(await again.inputValue('#f-law'), 'fit');
    assert.deepEqual(again.errors, []);
    await again.context().close();
  });

  test('law "fit" with no runs says so beside both law selects (both languages) and names the law used; bad rmap/rx entries are named', async () => {
    const page = await openPage(browser, srv.base + '?v=2&law=fit');
    await page.waitForSelector('#plan-law-fit-note');
    assert.equal(await page.inputValue('#f-law'), 'fit');
    assert.match(await page.textContent('#plan-law-fit-note'), /No fit yet: .*Meanwhile the numbers use Chinchilla \(rounded\), Hoffmann et al\. 2022\./);
    await page.waitForSelector('#sc-law-fit-note');
    assert.match(await page.textContent('#sc-law-fit-note'), /No fit yet/);
    // The numbers are those of the law named: the default law's.
    const plain = await openPage(browser, srv.base + '?v=2');
    await plain.waitForSelector('#out-params');
    assert.equal(await page.textContent('#out-params'), await plain.textContent('#out-params'));
    await plain.context().close();
    await page.selectOption('#lang', 'zh');
    await page.waitForFunction(() => document.querySelector('#plan-law-fit-note')?.textContent.includes('尚无拟合'));
    assert.match(await page.textContent('#sc-law-fit-note'), /尚无拟合：.*Chinchilla（取整常数）, Hoffmann et al\. 2022/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
    // A link whose rmap and rx have bad entries: each is named, the rest kept.
    const runs = encodeURIComponent('N,D,L\n1e8,2e9,3.2\n2e8,4e9,3.0\n4e8,8e9,2.8\n8e8,1.6e10,2.6\n1.6e9,3.2e10,2.5\n3.2e9,6.4e10,2.4');
    const bad = await openPage(browser, `${srv.base}?v=2&runs=${runs}&rmap=${encodeURIComponent('loss:L,size:x,params')}&rx=${encodeURIComponent('2,abc,99')}`);
    await bad.waitForSelector('#runs-link-notes');
    const notes = await bad.textContent('#runs-link-notes');
    for (const want of ['“size:x”', '“params”', '“abc”', 'no run 99 (the table has 6)']) assert.ok(notes.includes(want), `${want} in ${notes}`);
    assert.match(await bad.textContent('#runs-ok'), /6 runs, 1 excluded; 5 go into the fit/);
    assert.equal(await bad.inputValue('#rmap-params'), 'N');
    assert.deepEqual(bad.errors, []);
    await bad.context().close();
  });

}
