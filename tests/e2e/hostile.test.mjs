// Hostile input on the page (issue 19): nothing is dropped silently, every refusal says what is
// kept, and no number on the page reads NaN or ∞.
import { openPage, typeInto, pasteInto, planNumbers, currentUrl } from './lib.mjs';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function register(test, { srv, browser }) {
  test('a refused value says the last valid value is kept, and it is', async () => {
    const page = await openPage(browser, srv.base + '?v=1&c=1e22');
    const before = await planNumbers(page);
    await typeInto(page, '#f-c', 'abc');
    const err = await page.textContent('#e-c');
    assert.match(err, /not a number/);
    assert.match(err, /still 1e22/);
    assert.doesNotMatch(err, /default/i);
    assert.deepEqual(await planNumbers(page), before);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a paste over the length limit is named where it was pasted; the scenario keeps the rest', async () => {
    const page = await openPage(browser, srv.base + '?v=1&c=1e22&sec=scaling');
    const before = await planNumbers(page);
    const big = 'params,tokens,loss\n' + '1e9,2e10,2.5\n'.repeat(20000); // 260 KB
    await pasteInto(page, '#f-runs', big);
    await page.waitForFunction(() => document.querySelector('#r-runs')?.textContent.length > 0);
    const msg = await page.textContent('#r-runs');
    assert.match(msg, /260,019 characters/);
    assert.match(msg, /longer than 200,000 characters/);
    assert.match(msg, /not used/i);
    assert.deepEqual(await planNumbers(page), before);
    assert.ok(!(await currentUrl(page)).includes('runs='));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('an unknown preset id in a link is named, and the select shows the preset in use', async () => {
    const page = await openPage(browser, srv.base + '?v=1&igpu=zz-unknown&im=nope&k=64&lang=en');
    const warn = await page.textContent('#link-warnings');
    assert.match(warn, /igpu=“zz-unknown”/);
    assert.match(warn, /im=“nope”/);
    // The default serving GPU and model are what the selects show and what is used.
    const igpu = await page.inputValue('#f-igpu');
    const im = await page.inputValue('#f-im');
    assert.equal(igpu, 'h100-sxm');
    assert.ok(im.length > 0 && im !== 'nope', im);
    assert.equal(await page.inputValue('#f-k'), '64');
    await page.context().close();
  });

  test('links that showed ∞ or NaN now show finite numbers and name the field', async () => {
    for (const q of ['?v=1&mfu=1e-320', '?v=1&mfu=1e-300&pue=5&grid=0', '?v=1&ut=1e-320&c=1e24',
      '?v=1&tna=1e-320&law=kaplan2020&c=1e21', '?v=1&bm=usd&price=1e-320', '?v=1&dd=2200-12-31&dhw=0.1&dm=0.1']) {
      const page = await openPage(browser, srv.base + q);
      const body = await page.evaluate(() => document.body.innerText);
      assert.doesNotMatch(body, /\bNaN\b|\binf\b|∞|Infinity/, q);
      if (!q.includes('dd=')) assert.ok((await page.textContent('#link-warnings')).length > 0, q);
      assert.deepEqual(page.errors, [], q);
      await page.context().close();
    }
  });

  test('a link too long for servers says so and offers the scenario file, which reopens the same', async () => {
    const page = await openPage(browser, srv.base + '?v=1&c=3e23&sec=scaling', { permissions: ['clipboard-read', 'clipboard-write'] });
    const rows = Array.from({ length: 5000 }, (_, i) => `${1e8 * (1 + i % 50)},${2e9 * (1 + i % 40)},${(2 + (i % 30) / 10).toFixed(2)}`);
    const runs = 'params,tokens,loss\n' + rows.join('\n');
    await pasteInto(page, '#f-runs', runs);
    await page.click('#copy-link');
    await page.waitForSelector('#link-too-long');
    const msg = await page.textContent('#link-too-long');
    assert.match(msg, /\d+ KB long/);
    assert.match(msg, /over 8 KB/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#link-too-long-save')]);
    // Kept beyond the page's context (a download's own file goes with it).
    const file = join(mkdtempSync(join(tmpdir(), 'scalecalc-scenario-')), 'scenario.json');
    await download.saveAs(file);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(saved.runs, runs);
    const before = await planNumbers(page);
    await page.context().close();

    const fresh = await openPage(browser, srv.base);
    await fresh.setInputFiles('#import-json', file);
    await fresh.waitForFunction((n) => document.querySelector('#f-runs')?.value.split('\n').length === n, 5001);
    assert.deepEqual(await planNumbers(fresh), before);
    assert.deepEqual(fresh.errors, []);
    await fresh.context().close();
  });

  test('numbers as people write them: $5M, 5,000,000 and 5M give the same $5M plan; the link keeps the number', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&lang=en`);
    await page.selectOption('#f-bm', 'usd');
    await page.waitForSelector('#f-usd');
    for (const typed of ['$5M', '5,000,000', '5M', '5 000 000']) {
      await page.fill('#f-usd', typed);
      assert.equal((await page.textContent('#e-usd')).trim(), '', typed);
      await page.waitForFunction(() => document.querySelector('#plan-cost')?.textContent.includes('$5.00M'));
      assert.ok((await currentUrl(page)).includes('usd=5e6'), typed);
    }
    await page.fill('#f-usd', '5 millions');
    assert.match(await page.textContent('#e-usd'), /not a number\. Not used: still 5e6/);
    await page.context().close();
  });
}
