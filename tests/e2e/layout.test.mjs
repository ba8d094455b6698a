// Layouts that cannot run (issue 16): the page marks the field with the reason, the CLI refuses
// naming the flag.
import { openPage } from './lib.mjs';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';

export default function register(test, { srv, browser, CLI }) {
  test('serving GPUs that do not divide the heads: the field is marked; the CLI exits 2 naming --gpus', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&sec=inference&im=llama-3-70b&itp=3`);
    await page.locator('#f-itp').scrollIntoViewIfNeeded();
    assert.equal(await page.getAttribute('#f-itp', 'aria-invalid'), 'true');
    assert.match(await page.textContent('#e-itp'), /3 GPUs in tensor parallel do not divide the model's 64 attention heads/);
    // Fixed by the reader: the mark goes.
    await page.fill('#f-itp', '4');
    await page.waitForFunction(() => document.querySelector('#f-itp').getAttribute('aria-invalid') === 'false');
    assert.deepEqual(page.errors, []);
    await page.context().close();
    const r = spawnSync(CLI, ['infer', '--model', 'llama-3-70b', '--gpu', 'h100-sxm', '--gpus', '3', '--batch', '8',
      '--input-tokens', '512', '--output-tokens', '128', '--json'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--gpus: 3 tensor-parallel GPUs do not divide the model's 64 attention heads/);
  });

  test('more pipeline stages than layers: the PP field is marked; the CLI exits 2 naming --pp', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&sec=training&tm=mixtral-8x7b&k=512&tp=8&pp=64`);
    await page.locator('#f-pp').scrollIntoViewIfNeeded();
    assert.equal(await page.getAttribute('#f-pp', 'aria-invalid'), 'true');
    assert.match(await page.textContent('#e-pp'), /PP 64 is more pipeline stages than the model's 32 layers/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
    const r = spawnSync(CLI, ['train', '--model', 'mixtral-8x7b', '--tokens', '1e12', '--gpu', 'h100-sxm', '--gpus', '512',
      '--mfu', '0.4', '--pp', '64', '--json'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--pp: 64 pipeline stages for the model's 32 layers/);
  });
}
