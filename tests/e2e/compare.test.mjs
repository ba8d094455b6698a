// Issue 18, item 11: two scenarios side by side — pin the current scenario as a baseline, change
// inputs, and every result card shows the baseline's value and the change; the pair travels in
// one link.
import { currentUrl, openPage, typeInto } from './lib.mjs';
import assert from 'node:assert/strict';

const deltaOf = (page, key) => page.evaluate((k) => {
  const el = document.querySelector(`[data-key="${k}"] .card-delta`);
  return el ? { text: el.textContent, cls: el.className } : null;
}, key);

export default function register(test, { srv, browser }) {
  test('pin a baseline, change the GPUs and the budget, see the changes, reload the link, clear', async () => {
    const page = await openPage(browser, `${srv.base}?v=2&lang=en`);
    assert.equal(await page.locator('.card-delta').count(), 0);
    await page.click('#pin-baseline');
    await page.waitForFunction(() => document.querySelector('#pin-baseline').textContent.includes('Clear baseline'));
    await page.waitForFunction(() => document.querySelector('[data-key="plan-cost"] .card-delta'));
    assert.match((await deltaOf(page, 'plan-cost')).text, /^baseline \$\S+ · no change$/);
    assert.match((await deltaOf(page, 'out-train-days')).text, /· no change$/);

    // Twice the training GPUs: half the days at the same cost; twice the plan's compute: twice its cost.
    await typeInto(page, '#f-k', '2048');
    await typeInto(page, '#f-c', '1.152e24');
    await page.waitForFunction(() => /−50%/.test(document.querySelector('[data-key="out-train-days"] .card-delta')?.textContent));
    const check = async (p, base) => {
      const days = await deltaOf(p, 'out-train-days');
      assert.match(days.text, new RegExp(`^${base} \\S+ · ▼ −50%$`), days.text);
      assert.match(days.cls, /\bbetter\b/);
      assert.match((await deltaOf(p, 'out-train-cost')).text, /no change|无变化/);
      const cost = await deltaOf(p, 'plan-cost');
      assert.match(cost.text, /· ▲ \+100%$/, cost.text);
      assert.match(cost.cls, /\bworse\b/);
    };
    await check(page, 'baseline');

    // The link holds both scenarios: it reopens to the same comparison.
    const link = await currentUrl(page);
    assert.match(link, /[?&]base=v%3D2/);
    const again = await openPage(browser, link);
    await again.waitForFunction(() => document.querySelector('[data-key="out-train-days"] .card-delta'));
    await check(again, 'baseline');
    assert.equal(await again.inputValue('#f-k'), '2048');
    // In Chinese.
    await again.selectOption('#lang', 'zh');
    await again.waitForFunction(() => document.querySelector('[data-key="out-train-days"] .card-delta').textContent.startsWith('基线'));
    await check(again, '基线');
    assert.equal(await again.textContent('#pin-baseline'), '清除基线');

    // Clearing: no card compares, and the link has no baseline.
    await again.click('#pin-baseline');
    await again.waitForFunction(() => !document.querySelector('.card-delta'));
    assert.doesNotMatch(await currentUrl(again), /base=/);
    assert.deepEqual(page.errors, []);
    assert.deepEqual(again.errors, []);
    await page.context().close();
    await again.context().close();
  });

  test('a bad baseline in a link is named and the rest of the link kept', async () => {
    const page = await openPage(browser, `${srv.base}?v=2&lang=en&k=64&base=v%3D2%26k%3Dmany`);
    const warn = await page.textContent('#link-warnings');
    assert.match(warn, /base=/);
    assert.match(warn, /its field k=“many”/);
    assert.equal(await page.inputValue('#f-k'), '64');
    assert.equal(await page.locator('.card-delta').count(), 0);
    assert.equal(await page.textContent('#pin-baseline'), 'Pin as baseline');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}
