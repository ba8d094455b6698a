// Screenshots of the page: `./x shot [query] [out.png] [width]`.
import { serve, launch, openPage } from './lib.mjs';
const query = process.argv[2] || '';
const out = process.argv[3] || 'page.png';
const width = Number(process.argv[4] || 1280);
const srv = await serve(new URL('../../dist', import.meta.url).pathname);
const browser = await launch();
const page = await openPage(browser, srv.base + (query ? `?${query.replace(/^\?/, '')}` : ''), { viewport: { width, height: Number(process.env.HEIGHT || 900) } });
await page.waitForTimeout(300);
const sel = process.env.SECTION ? `#${process.env.SECTION}` : null;
if (sel) {
  // A sticky header would land in the middle of an element screenshot.
  await page.addStyleTag({ content: 'header { position: static !important; }' });
  await page.locator(sel).scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  await page.locator(sel).screenshot({ path: out });
}
else await page.screenshot({ path: out, fullPage: true });
if (page.errors.length) console.error(page.errors.join('\n'));
await browser.close();
srv.close();
