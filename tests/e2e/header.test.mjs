// The header as a reader meets it (issue 18, item 4): at most 140 px tall on a 390 px phone; a nav
// click lands with the section's heading below the sticky header; the nav marks the section in
// view as the reader scrolls.
import { openPage } from './lib.mjs';
import assert from 'node:assert/strict';

export default function register(test, { srv, browser, figures }) {
  test('the header is compact on a phone, a nav click shows the heading, and the nav follows scrolling', async () => {
    const phone = await openPage(browser, `${srv.base}?v=2`, { viewport: { width: 390, height: 844 } });
    const h = await phone.evaluate(() => document.querySelector('header').getBoundingClientRect().height);
    figures.header_phone_px = Math.round(h);
    assert.ok(h <= 140, `phone header ${h} px`);
    await phone.context().close();

    const page = await openPage(browser, `${srv.base}?v=2`, { viewport: { width: 1440, height: 900 } });
    for (const id of ['scaling', 'density', 'training', 'inference', 'plan']) {
      await page.click(`header nav a[href="#${id}"]`);
      await page.waitForFunction((i) => document.querySelector(`header nav a[href="#${i}"]`).getAttribute('aria-current') === 'location', id);
      await page.waitForTimeout(300);
      const [top, bottom] = await page.evaluate((i) => [document.querySelector(`#${i} h2`).getBoundingClientRect().top,
        document.querySelector('header').getBoundingClientRect().bottom], id);
      assert.ok(top >= bottom, `${id}: heading at ${top}, header ends at ${bottom}`);
    }
    // Scrolling by hand to the training section moves the mark there.
    await page.evaluate(() => window.scrollTo(0, document.getElementById('training').offsetTop + 200));
    await page.waitForFunction(() => document.querySelector('header nav a[aria-current]')?.getAttribute('href') === '#training');
    assert.equal(await page.locator('header nav a[aria-current]').count(), 1);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}
