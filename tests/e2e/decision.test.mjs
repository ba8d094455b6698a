// Issue 18: the page as a decision tool — implausible results are said next to their number.
import { openPage, typeInto } from './lib.mjs';
import assert from 'node:assert/strict';

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
}
