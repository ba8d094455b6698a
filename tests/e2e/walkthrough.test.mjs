// Issue 18: the seven questions of a new user, walked as a newcomer would — from the page as it
// opens, with the fewest interactions the page allows. Each asserts the answer is on screen and
// prints the number of interactions (a click, a choice or a typed value each count one).
import { openPage, typeInto, currentUrl, waitRendered, openAssumptions } from './lib.mjs';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const DATA = new URL('../../data', import.meta.url).pathname;
const text = (page, sel) => page.textContent(sel);

/** The first 60 rows of Epoch AI's replication data as params,tokens,loss. */
function runsCsv() {
  const lines = readFileSync(`${DATA}/chinchilla_epoch/svg_extracted_data.csv`, 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const [iN, iC, iL] = ['Model Size', 'Training FLOP', 'loss'].map((h) => head.indexOf(h));
  const rows = lines.slice(1, 61).map((l) => l.split(','));
  return 'params,tokens,loss\n' + rows.map((r) => `${r[iN]},${Number(r[iC]) / (6 * Number(r[iN]))},${r[iL]}`).join('\n');
}

export default function register(test, { srv, browser, figures }) {
  const asked = {};
  const done = (q, n, answer) => {
    asked[q] = n;
    figures[`walkthrough_${q}`] = `${n} interactions: ${answer}`;
    console.log(`     ${q}: ${n} interactions → ${answer}`);
  };

  test('Q1 "$5M on H100s at $2/h — what model, and what will serving it cost?"', async () => {
    const page = await openPage(browser, srv.base);
    let n = 0;
    await page.selectOption('#f-bm', 'usd'); n++;
    await typeInto(page, '#f-usd', '$5M'); n++;
    await page.waitForFunction(() => location.search.includes('usd=5e6'));
    // The hardware and the price it assumed are on the plan, next to the answer.
    assert.match(await text(page, '#plan-assume-training summary'), /H100.*\$2\.00 per GPU-hour/);
    await page.waitForFunction(() => /\$/.test(document.getElementById('plan-usd-per-m')?.textContent ?? ''));
    const params = await text(page, '#out-params');
    const price = await text(page, '#plan-usd-per-m');
    assert.match(params, /B|×10/);
    assert.match(price, /^\$\d/);
    assert.match(await text(page, '#plan-cost'), /\$5\.00M/);
    done('q1_budget', n, `N* ${params}, serving ${price} per million output tokens`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('Q2 "QLoRA Llama-3-8B on one 24 GB card at 4k?"', async () => {
    const page = await openPage(browser, srv.base);
    let n = 0;
    await page.click('nav a[href="#training"]'); n++;
    await page.selectOption('#f-tm', 'llama-3-8b'); n++;
    await page.selectOption('#f-ft', 'qlora'); n++;
    await page.selectOption('#f-gpu', 'rtx-4090'); n++;
    await typeInto(page, '#f-k', '1'); n++;
    // 4,096 tokens is the section's default sequence length: nothing to type.
    assert.equal(await page.inputValue('#f-seq'), '4096');
    await page.waitForFunction(() => location.search.includes('gpu=rtx-4090') && location.search.includes('ft=qlora') && location.search.includes('k=1'));
    const mem = await text(page, '#out-train-mem');
    // The card's marketed 24 GB reads as 24 GiB: one unit everywhere.
    assert.match(mem, /GiB \/ 24\.0 GiB$/);
    const fits = await text(page, '#out-train-fits');
    assert.ok(fits.length > 0);
    done('q2_qlora', n, `${mem}; ${fits}`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('Q3 "Llama-3-70B on 4×H100 at batch 32, $ per million tokens?"', async () => {
    const page = await openPage(browser, srv.base);
    let n = 0;
    await page.click('nav a[href="#inference"]'); n++;
    // The section opens on exactly this question: Llama 3 70B, 4 × H100, batch 32.
    assert.equal(await page.inputValue('#f-im'), 'llama-3-70b');
    assert.equal(await page.inputValue('#f-igpu'), 'h100-sxm');
    assert.equal(await page.inputValue('#f-itp'), '4');
    assert.equal(await page.inputValue('#f-b'), '32');
    const price = await text(page, '#inf-cost-out');
    assert.match(price, /^\$\d/);
    done('q3_serving', n, `${price} per million output tokens`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('Q4 "When will a GPT-4-class model run on a phone?"', async () => {
    const page = await openPage(browser, srv.base);
    let n = 0;
    await page.click('nav a[href="#density"]'); n++;
    // GPT-4 was released on 2023-03-14: the frontier of that date, on a 12 GB phone at 4 bits.
    await typeInto(page, '#f-drd', '2023-03-14'); n++;
    await page.waitForFunction(() => location.search.includes('drd=2023-03-14'));
    assert.equal(await page.inputValue('#f-dev'), 'phone-12gb');
    const edge = await text(page, '#atlas-edge');
    assert.match(edge, /\d{4}-\d{2}-\d{2}/);
    done('q4_phone', n, edge);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('Q5 "Fit my own runs"', async () => {
    const page = await openPage(browser, srv.base);
    let n = 0;
    await page.click('nav a[href="#scaling"]'); n++;
    await page.locator('#f-runs').scrollIntoViewIfNeeded();
    await page.fill('#f-runs', runsCsv()); n++;
    await page.waitForSelector('#runs-ok');
    await page.click('#fit-run'); n++;
    await page.waitForSelector('#fit-table', { timeout: 60000 });
    const caption = await text(page, '#fit-table caption');
    assert.match(caption, /60 runs/);
    done('q5_fit', n, caption.trim().slice(0, 80));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('Q6 "Share a link": the link opens to the same answers elsewhere', async () => {
    const page = await openPage(browser, srv.base);
    let n = 0;
    await typeInto(page, '#f-c', '1e24'); n++;
    await page.click('#copy-link'); n++;
    await page.waitForSelector('#share-link');
    const link = await page.inputValue('#share-link');
    assert.equal(link, await currentUrl(page));
    const before = await text(page, '#out-params');
    const other = await openPage(browser, link);
    assert.equal(await text(other, '#out-params'), before);
    done('q6_share', n, link.slice(link.indexOf('?')));
    assert.deepEqual(other.errors, []);
    await other.context().close();
    await page.context().close();
  });

  test('Q7 "Export": a summary to paste into a document', async () => {
    const page = await openPage(browser, srv.base);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    let n = 0;
    await page.click('#copy-summary'); n++;
    await page.waitForFunction(async () => (await navigator.clipboard.readText()).includes('|'));
    const md = await page.evaluate(() => navigator.clipboard.readText());
    assert.ok(md.includes(await text(page, '#plan-usd-per-m')), 'the summary carries the serving price');
    assert.match(md, /https?:\/\//);
    done('q7_export', n, `${md.split('\n').length} lines of Markdown`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('every question was answered, with the interactions printed', async () => {
    assert.equal(Object.keys(asked).length, 7, JSON.stringify(asked));
    for (const [q, n] of Object.entries(asked)) assert.ok(n <= 6, `${q}: ${n} interactions`);
  });
}
