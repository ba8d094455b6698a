// Issue 18: the page as a decision tool — implausible results are said next to their number.
import { openPage, typeInto, currentUrl, waitRendered, openAssumptions } from './lib.mjs';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const DATA = new URL('../../data', import.meta.url).pathname;

const warnOf = (page, key) => page.evaluate((k) => document.querySelector(`[data-key="${k}"] .card-warn`)?.textContent ?? null, key);

export default function register(test, { srv, browser }) {
  test('implausible results warn next to their number, and the warning goes when the input is fixed', async () => {
    const page = await openPage(browser, `${srv.base}?v=2`);
    assert.equal(await warnOf(page, 'out-train-days'), null);
    // A Chinchilla-70B run on 8 GPUs: years of wall-clock time, in Training and in the Plan.
    await typeInto(page, '#f-tn', '70e9');
    await typeInto(page, '#f-td', '1.4e12');
    await typeInto(page, '#f-k', '8');
    await page.waitForFunction(() => document.querySelector('[data-key="out-train-days"] .card-warn'));
    assert.match(await warnOf(page, 'out-train-days'), /More than a year/);
    await typeInto(page, '#f-k', '2048');
    await page.waitForFunction(() => !document.querySelector('[data-key="out-train-days"] .card-warn'));
    // The plan on 1 GPU: its days card warns too.
    await openAssumptions(page);
    await typeInto(page, '#plan-f-k', '1');
    await page.waitForFunction(() => document.querySelector('[data-key="plan-days"] .card-warn'));
    await typeInto(page, '#plan-f-k', '1024');
    // A LoRA fine-tune with pre-training tokens: the tokens field says so.
    await page.selectOption('#f-ft', 'lora');
    await page.waitForFunction(() => document.querySelector('#f-td')?.closest('.field')?.querySelector('.warn'));
    assert.match(await page.evaluate(() => document.querySelector('#f-td').closest('.field').querySelector('.warn').textContent), /pre-training amount/);
    await typeInto(page, '#f-td', '2e8');
    await page.waitForFunction(() => !document.querySelector('#f-td').closest('.field').querySelector('.warn'));
    // Serving a model that does not fit: the throughput and price cards say their figures assume memory it lacks.
    await typeInto(page, '#f-itp', '1');
    await typeInto(page, '#f-b', '512');
    await page.waitForFunction(() => document.querySelector('[data-key="inf-cost-out"] .card-warn'));
    assert.match(await warnOf(page, 'inf-tps'), /do not fit/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  // Issue 18, item 13: a shared link opens in the reader's language and theme unless the sender
  // fixed them.
  test("a shared link opens in the reader's language and theme unless the sender fixed them", async () => {
    const sender = await openPage(browser, `${srv.base}?v=2&b=16`, { locale: 'en-US' });
    await sender.selectOption('#lang', 'zh');
    await sender.selectOption('#theme', 'dark');
    await sender.waitForFunction(() => document.documentElement.lang === 'zh-CN' && document.documentElement.dataset.theme === 'dark');
    const unfixed = await currentUrl(sender);
    assert.doesNotMatch(unfixed, /lang=|theme=/);
    assert.match(unfixed, /b=16/);
    // The sender's own choice stays theirs: a reload keeps Chinese and dark.
    await sender.reload();
    await waitRendered(sender);
    assert.equal(await sender.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.equal(await sender.inputValue('#lang'), 'zh');
    // Another reader (English browser, light system theme) opens the link in English and light.
    const reader = await openPage(browser, unfixed, { locale: 'en-US', colorScheme: 'light' });
    assert.equal(await reader.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await reader.evaluate(() => document.documentElement.dataset.theme), 'light');
    await reader.context().close();
    // Fixed by the sender: the link carries both, and the reader sees them.
    await sender.check('#fix-prefs');
    await sender.waitForFunction(() => location.search.includes('lang=zh') && location.search.includes('theme=dark'));
    const fixed = await currentUrl(sender);
    const reader2 = await openPage(browser, fixed, { locale: 'en-US', colorScheme: 'light' });
    assert.equal(await reader2.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.equal(await reader2.evaluate(() => document.documentElement.dataset.theme), 'dark');
    // The reader switches to English: their choice wins on their page.
    await reader2.selectOption('#lang', 'en');
    await reader2.waitForFunction(() => document.documentElement.lang === 'en');
    assert.deepEqual(reader2.errors, []);
    await reader2.context().close();
    assert.deepEqual(sender.errors, []);
    await sender.context().close();
  });

  // Issue 18, item 13: a shared fit with a bootstrap reopens with its band.
  test('a shared fit with its bootstrap band reopens with the band', async () => {
    const lines = readFileSync(`${DATA}/chinchilla_epoch/svg_extracted_data.csv`, 'utf8').trim().split('\n');
    const head = lines[0].split(',');
    const [iN, iC, iL] = ['Model Size', 'Training FLOP', 'loss'].map((h) => head.indexOf(h));
    const csv = 'params,tokens,loss\n' + lines.slice(1, 41).map((l) => l.split(','))
      .map((r) => `${Number(r[iN]).toPrecision(4)},${(Number(r[iC]) / (6 * Number(r[iN]))).toPrecision(4)},${Number(r[iL]).toPrecision(4)}`).join('\n');
    const sender = await openPage(browser, `${srv.base}?v=2&law=fit&boot=40&runs=${encodeURIComponent(csv)}`);
    await sender.waitForSelector('#fit-table', { timeout: 60000 });
    await sender.click('#boot-run');
    await sender.waitForSelector('#plan-band', { timeout: 60000 });
    const band = await sender.textContent('#plan-band');
    const link = await currentUrl(sender);
    assert.match(link, /band=on/);
    await sender.context().close();
    // The reader gets the fit and then the same band, with no click.
    const reader = await openPage(browser, link);
    await reader.waitForSelector('#plan-band', { timeout: 60000 });
    assert.equal(await reader.textContent('#plan-band'), band);
    assert.deepEqual(reader.errors, []);
    await reader.context().close();
  });
}
