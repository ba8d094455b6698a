// Issue 18, items 3, 4 and 8: a field goes back to its default or its previous value; each
// section opens with its key answers, in view without scrolling; the "how" boxes say what their
// symbols mean and end with their result; the glossary explains the page's terms.
import { openPage, typeInto, currentUrl } from './lib.mjs';
import assert from 'node:assert/strict';

const SECTIONS = {
  plan: ['out-params', 'out-tokens', 'plan-cost', 'plan-usd-per-m'],
  scaling: ['sc-params', 'sc-tokens', 'sc-loss', 'sc-batch'],
  density: ['density-params', 'density-usd', 'density-capacity', 'density-fit-date'],
  training: ['out-train-days', 'out-train-cost', 'out-train-mem', 'out-train-fits'],
  inference: ['inf-fit', 'inf-ttft', 'inf-tps', 'inf-cost-out'],
};

export default function register(test, { srv, browser }) {
  test('each section opens with its key answers, in view after a nav click at 1440×900 and 390×844', async () => {
    for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
      const page = await openPage(browser, `${srv.base}?v=2`, { viewport });
      const report = [];
      for (const [sec, ids] of Object.entries(SECTIONS)) {
        await page.locator(`nav a[href="#${sec}"]`).first().click();
        // Each key answer is the value of its card, in view below the header.
        await page.waitForFunction((ids) => ids.every((id) => {
          const k = document.getElementById(`key-${id}`);
          const card = document.getElementById(id);
          return k && card && card.textContent.startsWith(k.textContent) && k.textContent !== '…';
        }), ids);
        await page.waitForFunction(() => {
          const y = window.scrollY;
          return new Promise((r) => requestAnimationFrame(() => r(window.scrollY === y)));
        });
        const boxes = await page.evaluate((ids) => {
          const header = document.querySelector('header').getBoundingClientRect();
          const sticky = getComputedStyle(document.querySelector('header')).position === 'sticky';
          return ids.map((id) => {
            const b = document.getElementById(`key-${id}`).closest('a').getBoundingClientRect();
            return { id, top: b.top, bottom: b.bottom, headerBottom: sticky ? header.bottom : 0, h: innerHeight };
          });
        }, ids);
        for (const b of boxes) {
          assert.ok(b.top >= b.headerBottom - 1 && b.bottom <= b.h,
            `${viewport.width}px, ${sec}: key answer ${b.id} at ${Math.round(b.top)}–${Math.round(b.bottom)} px, header ends at ${Math.round(b.headerBottom)}, viewport ${b.h}`);
        }
        report.push(`${sec} ${Math.round(Math.max(...boxes.map((b) => b.bottom)))} px`);
      }
      console.log(`    key answers at ${viewport.width}×${viewport.height}: lowest edge ${report.join(', ')}`);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  });

  test('a key answer leads to its card; its value follows the inputs', async () => {
    const page = await openPage(browser, `${srv.base}?v=2`);
    await page.locator('nav a[href="#inference"]').first().click();
    await page.waitForFunction(() => document.getElementById('key-inf-cost-out')?.textContent.startsWith('$'));
    const before = await page.textContent('#key-inf-cost-out');
    await typeInto(page, '#f-b', '8');
    await page.waitForFunction((b) => document.getElementById('key-inf-cost-out').textContent !== b, before);
    assert.equal(await page.textContent('#key-inf-cost-out'), await page.textContent('#inf-cost-out'));
    await page.click('#key-inf-cost-out');
    await page.waitForFunction(() => {
      const b = document.getElementById('inf-cost-out').getBoundingClientRect();
      return b.top >= 0 && b.bottom <= innerHeight;
    });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a field can be reset to its default, and Ctrl+Z / Ctrl+Shift+Z step back and forth through its values', async () => {
    const page = await openPage(browser, `${srv.base}?v=2&bm=usd`);
    const plan = () => page.textContent('#out-params');
    const defaultParams = await plan();
    // No reset button while the field holds its default.
    assert.equal(await page.locator('#f-usd ~ .reset').count(), 0);
    await typeInto(page, '#f-usd', '5M');
    await page.waitForFunction((d) => document.getElementById('out-params').textContent !== d, defaultParams);
    const fiveM = await plan();
    await page.locator('#f-usd').blur();
    // The reset button names the default it restores.
    const reset = page.locator('#f-usd ~ .reset');
    const def = await reset.getAttribute('data-default');
    assert.match(await reset.getAttribute('aria-label'), new RegExp(`default.*${def.replace(/[.$]/g, '\\$&')}`));
    await reset.click();
    await page.waitForFunction((d) => document.getElementById('out-params').textContent === d, defaultParams);
    assert.equal(await page.inputValue('#f-usd'), def);
    assert.equal(await page.locator('#f-usd ~ .reset').count(), 0);
    // Ctrl+Z in the field brings back what the reset replaced; Ctrl+Shift+Z the reset again.
    await page.focus('#f-usd');
    await page.keyboard.press('Control+z');
    await page.waitForFunction((v) => document.getElementById('out-params').textContent === v, fiveM);
    assert.match(await page.inputValue('#f-usd'), /^5/);
    await page.keyboard.press('Control+Shift+z');
    await page.waitForFunction((d) => document.getElementById('out-params').textContent === d, defaultParams);
    // An edit in progress is undone to the value the field had when it was focused.
    await page.keyboard.press('Control+z');
    await page.waitForFunction((v) => document.getElementById('out-params').textContent === v, fiveM);
    await page.locator('#f-usd').blur();
    await page.focus('#f-usd');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('7M');
    await page.waitForFunction((v) => document.getElementById('out-params').textContent !== v, fiveM);
    await page.keyboard.press('Control+z');
    await page.waitForFunction((v) => document.getElementById('out-params').textContent === v, fiveM);
    // The link follows: the undone value is the scenario's.
    assert.match(await currentUrl(page), /usd=5/);
    // A price resets to its GPU's typical price, not to the default GPU's.
    await page.locator('nav a[href="#inference"]').first().click();
    await page.selectOption('#f-igpu', 'a100-80gb');
    await typeInto(page, '#f-iprice', '9');
    await page.locator('#f-iprice').blur();
    await page.locator('#f-iprice ~ .reset').click();
    const typical = await page.evaluate(() => document.getElementById('inf-list-price')?.textContent ?? '');
    assert.ok(typical.includes(await page.inputValue('#f-iprice')), `${typical} vs ${await page.inputValue('#f-iprice')}`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('every how says what its symbols mean and ends with its result; the glossary explains the page’s terms', async () => {
    for (const lang of ['en', 'zh']) {
      const page = await openPage(browser, `${srv.base}?v=2&lang=${lang}`);
      // The words arrive with the charts module.
      await page.waitForFunction(() => document.querySelector('#chart-optimal canvas'));
      await page.evaluate(() => { for (const d of document.querySelectorAll('details.how')) d.open = true; });
      // Every open how: a symbols list wherever the formula has a symbol, and a result equal to its card.
      await page.waitForTimeout(100);
      const hows = await page.evaluate(() => [...document.querySelectorAll('.card details.how')].map((d) => {
        const card = d.closest('.card');
        return {
          id: card.dataset.key,
          card: card.querySelector('.card-value')?.textContent ?? '',
          result: d.querySelector('.how-result')?.textContent ?? null,
          where: d.querySelectorAll('ul.where li').length,
          formula: d.querySelector('dd code')?.textContent ?? '',
        };
      }));
      assert.ok(hows.length >= 60, `${hows.length} how boxes`);
      for (const h of hows) {
        assert.ok(h.result && h.result.startsWith('= '), `${lang} ${h.id}: no result line`);
        assert.ok(!/NaN|undefined/.test(h.result), `${lang} ${h.id}: ${h.result}`);
        if (/[A-Za-zα-ωΑ-Ω]/.test(h.formula)) assert.ok(h.where > 0, `${lang} ${h.id}: formula ${h.formula} has no symbol meanings`);
      }
      // A how built before its words arrived reads its unit in the page's language.
      const loss = hows.find((h) => h.id === 'out-loss');
      assert.match(loss.result, lang === 'zh' ? /奈特/ : /nats/, loss.result);
      // The plan's compute: the result is the card's number.
      const flops = hows.find((h) => h.id === 'out-flops');
      assert.ok(flops.result.includes(flops.card.split(' ')[0]), `${flops.result} vs ${flops.card}`);
      // The glossary: opens from the header, filters, closes.
      await page.click('#glossary-open');
      await page.waitForSelector('#glossary-list dt');
      const terms = await page.locator('#glossary-list dt').count();
      assert.ok(terms >= 40, `${terms} glossary terms`);
      await page.fill('#glossary-filter', 'MFU');
      await page.waitForFunction(() => document.querySelectorAll('#glossary-list dt').length >= 1
        && [...document.querySelectorAll('#glossary-list dt')].some((d) => d.textContent.includes('MFU')));
      const meaning = await page.evaluate(() => [...document.querySelectorAll('#glossary-list dt')].find((d) => d.textContent.includes('MFU')).nextElementSibling.textContent);
      assert.match(meaning, lang === 'zh' ? /利用率/ : /utili[sz]ation/);
      // Close: its button (Escape first clears the search field, as search fields do).
      await page.click('#glossary .glossary-head button');
      await page.waitForFunction(() => !document.getElementById('glossary').matches(':popover-open'));
      if (lang === 'en') console.log(`    ${hows.length} how boxes with their symbols and result; ${terms} glossary terms`);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  });
}
