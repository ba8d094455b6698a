// The Plan chain: budget → optimal model → training → serving → density, in both languages.
import { openPage, typeInto, currentUrl } from './lib.mjs';
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
}
