// The Plan chain: budget → optimal model → training → serving → density, in both languages.
import { openPage, typeInto, currentUrl, openAssumptions } from './lib.mjs';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';

const text = (page, id) => page.textContent(`#${id}`);

export default function register(test, { srv, browser, CLI }) {
  for (const lang of ['en', 'zh']) {
    test(`walk the plan chain from a dollar budget (${lang})`, async () => {
      const page = await openPage(browser, `${srv.base}?v=1&lang=${lang}`);
      await page.selectOption('#f-bm', 'usd');
      await page.waitForSelector('#f-usd');
      await typeInto(page, '#f-usd', '5e6');
      await page.waitForFunction(() => location.search.includes('usd=5e6'));
      // The money spent on training the optimal model is the budget itself.
      const cost = await text(page, 'plan-cost');
      assert.match(cost, lang === 'en' ? /\$5\.00M/ : /500万美元/);
      const out = JSON.parse(execFileSync(CLI, ['scenario', '--url', (await currentUrl(page)), '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 }));
      assert.ok(Math.abs(out.training.cost_usd / 5e6 - 1) < 1e-6);
      const mant = (x) => (x / 10 ** Math.floor(Math.log10(x))).toFixed(2);
      assert.ok((await text(page, 'out-params')).includes(mant(out.optimal.params)));
      assert.ok((await text(page, 'out-flops')).includes(mant(out.flops)));
      // Serving price and the density step are filled from the same chain.
      const usdPerM = out.serving.economics.cost_per_million_output_tokens_usd;
      assert.ok((await text(page, 'plan-usd-per-m')).includes(usdPerM.toPrecision(3).replace(/\.?0+$/, '')), `${await text(page, 'plan-usd-per-m')} vs ${usdPerM}`);
      assert.match(await text(page, 'plan-device-date'), /^\d{4}-\d{2}-\d{2}$|—/);
      // Each step links to its section.
      for (const a of ['scaling', 'training', 'inference', 'density']) {
        assert.ok(await page.$(`#plan h3 a[href="#${a}"]`), `no link to #${a}`);
      }
      // The "how" of the budget shows the inverse formula with the values.
      await page.click('[data-key="out-flops"] summary');
      assert.match(await page.textContent('[data-key="out-flops"] details'), /5e6/);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }

  test('GPUs × days budget: the training takes exactly those days', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&bm=gpu-days&days=30&k=512`);
    assert.equal(await text(page, 'plan-days'), '30.0');
    await page.context().close();
  });

  // Issue 18, item 1: the plan owns its chain. Its assumptions are fields on the plan itself, one
  // value shared with the section it comes from; a $5M budget names the $/GPU-hour it uses.
  test('the plan shows and edits what it assumes, shared with the sections', async () => {
    const page = await openPage(browser, `${srv.base}?v=2`);
    await page.selectOption('#f-bm', 'usd');
    await typeInto(page, '#f-usd', '5M');
    await page.waitForFunction(() => location.search.includes('usd=5e6'));
    assert.match(await text(page, 'plan-budget-converted'), /1024 × NVIDIA H100.*MFU 0\.4.*\$2\.00 per GPU-hour/);
    // Each step names what it assumes in one line; its fields open on demand.
    assert.match(await page.textContent('#plan-assume-training summary'), /1024 × NVIDIA H100.*MFU 0\.4.*\$2\.00 per GPU-hour/);
    assert.match(await page.textContent('#plan-assume-serving summary'), /4 × NVIDIA H100.*batch 32/);
    assert.match(await page.textContent('#plan-assume-density summary'), /doubles every/);
    assert.equal(await page.isVisible('#plan-f-k'), false);
    await openAssumptions(page);
    for (const id of ['plan-f-gpu', 'plan-f-k', 'plan-f-mfu', 'plan-f-price', 'plan-f-igpu', 'plan-f-itp',
      'plan-f-b', 'plan-f-in', 'plan-f-out', 'plan-f-iprice', 'plan-f-dd', 'plan-f-dm', 'plan-f-dev', 'plan-f-dbits']) {
      assert.ok(await page.isVisible(`#${id}`), `#${id} is not on the plan`);
    }
    // One value: the plan's price is the Training section's price.
    assert.equal(await page.inputValue('#plan-f-price'), await page.inputValue('#f-price'));
    const before = await text(page, 'plan-usd-per-m');
    await typeInto(page, '#plan-f-iprice', '4');
    await page.waitForFunction(() => document.getElementById('f-iprice').value === '4');
    await page.waitForFunction((b) => document.getElementById('plan-usd-per-m').textContent !== b, before);
    await typeInto(page, '#f-mfu', '0.5');
    await page.waitForFunction(() => document.getElementById('plan-f-mfu').value === '0.5');
    assert.match(await text(page, 'plan-budget-converted'), /MFU 0\.5/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  // Issue 18, item 6: a GPU brings its typical price until the reader types one.
  test('a price follows its GPU until the reader types one', async () => {
    const page = await openPage(browser, `${srv.base}?v=2`);
    await openAssumptions(page);
    assert.match(await text(page, 'plan-iprice-hint'), /Follows the GPU/);
    await page.selectOption('#plan-f-igpu', 'rtx-4090');
    await page.waitForFunction(() => document.getElementById('plan-f-iprice').value === '0.4');
    assert.equal(await page.inputValue('#f-iprice'), '0.4');
    assert.match(await text(page, 'plan-iprice-hint'), /RTX 4090.*typical price, \$0\.40/);
    // Typed: kept when the GPU changes, and the typical price is offered.
    await typeInto(page, '#plan-f-iprice', '0.7');
    await page.selectOption('#plan-f-igpu', 'a100-80gb');
    await page.waitForFunction(() => document.getElementById('plan-iprice-hint').textContent.includes('Your price'));
    assert.equal(await page.inputValue('#plan-f-iprice'), '0.7');
    await page.click('#plan-iprice-hint button');
    await page.waitForFunction(() => document.getElementById('plan-f-iprice').value === '1.8');
    // Training: the same rule.
    await page.selectOption('#plan-f-gpu', 'a100-80gb');
    await page.waitForFunction(() => document.getElementById('plan-f-price').value === '1.8');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  // Issue 18, item 1: "Use this model in Training / Inference" hands the plan's model over; the
  // sections then show the plan's own numbers.
  test('the plan hands its model to Training and Inference, which then agree with it', async () => {
    const page = await openPage(browser, `${srv.base}?v=2&bm=usd&usd=5e6`);
    await openAssumptions(page);
    const planCost = await text(page, 'plan-cost');
    const planPrice = await text(page, 'plan-usd-per-m');
    await page.click('#plan-to-training');
    await page.waitForFunction((c) => document.getElementById('out-train-cost')?.textContent === c, planCost);
    await page.click('#plan-to-inference');
    await page.waitForFunction((p) => document.getElementById('inf-cost-out')?.textContent === p, planPrice);
    assert.equal(await page.inputValue('#f-im'), 'custom');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}
