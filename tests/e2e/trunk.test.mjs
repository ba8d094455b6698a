// The development build: `trunk build` from the top-level index.html and Trunk.toml (the page in
// one module, feature `unsplit`, and the fit's worker). `./x test` builds it into $SCALECALC_TRUNK_DIST
// before the browser tests; this smoke test serves it and checks that every section renders.
import { serve, openPage } from './lib.mjs';
import { existsSync, readdirSync } from 'node:fs';
import assert from 'node:assert/strict';

const SECTIONS = ['plan', 'scaling', 'density', 'training', 'inference'];

export default function register(test, { browser }) {
  test('the Trunk-built page renders every section with no console error', async () => {
    const dir = process.env.SCALECALC_TRUNK_DIST;
    assert.ok(dir && existsSync(`${dir}/index.html`),
      `no Trunk build at SCALECALC_TRUNK_DIST=${dir} (./x test builds it with trunk build)`);
    // One wasm module for the page (nothing split off), plus the worker's.
    const wasm = readdirSync(dir).filter((f) => f.endsWith('.wasm'));
    assert.equal(wasm.filter((f) => f.startsWith('scalecalc-web')).length, 1, wasm.join(', '));
    assert.ok(wasm.some((f) => f.startsWith('fit-worker')), `no worker module in ${wasm.join(', ')}`);
    const srv = await serve(dir, '/dev/');
    try {
      const page = await openPage(browser, srv.base);
      for (const id of SECTIONS) {
        const sec = page.locator(`section#${id}`);
        assert.equal(await sec.count(), 1, `section #${id}`);
        assert.equal(await sec.getAttribute('class').then((c) => (c || '').includes('deferred')), false,
          `section #${id} is still a placeholder`);
        assert.ok((await sec.locator('input, select, textarea').count()) > 0, `section #${id} has no inputs`);
      }
      assert.match(await page.textContent('#out-params'), /3\.22×10¹⁰/);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    } finally {
      srv.close();
    }
  });
}
