// The Inference section: cards against the CLI, KV cache per token, a pasted config.json, link
// warnings for bad bit widths, the calibration table, "how", Chinese labels, charts.
import { openPage, drawnPixels } from './lib.mjs';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';

const LLAMA3_8B = JSON.stringify({
  architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_size: 4096, intermediate_size: 14336,
  num_attention_heads: 32, num_hidden_layers: 32, num_key_value_heads: 8, vocab_size: 128256,
  max_position_embeddings: 8192, hidden_act: 'silu', tie_word_embeddings: false, rms_norm_eps: 1e-5,
});

export default function register(test, { srv, browser, CLI }) {
  test('llama-2-7b on an A100: cards match `scalecalc infer`, KV cache is 524,288 B per token', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&sec=inference`);
    await page.selectOption('#f-im', 'llama-2-7b');
    await page.selectOption('#f-igpu', 'a100-80gb');
    await page.fill('#f-itp', '1');
    await page.fill('#f-b', '16');
    await page.fill('#f-in', '512');
    await page.fill('#f-out', '256');
    await page.waitForFunction(() => location.search.includes('im=llama-2-7b') && location.search.includes('in=512') && location.search.includes('b=16'));
    assert.match(await page.textContent('#inf-kv-token'), /524288 B/);
    const cli = JSON.parse(execFileSync(CLI, ['infer', '--model', 'llama-2-7b', '--gpu', 'a100-80gb', '--gpus', '1', '--batch', '16',
      '--input-tokens', '512', '--output-tokens', '256', '--price-per-gpu-hour', '2', '--json'], { encoding: 'utf8' }));
    assert.equal(cli.kv_cache_bytes_per_token, 524288);
    const shown = Number((await page.textContent('#inf-tps')).replace(/[^0-9.]/g, ''));
    assert.ok(Math.abs(shown / cli.output_tokens_per_second - 1) < 0.001, `${shown} vs ${cli.output_tokens_per_second}`);
    const ms = Number((await page.textContent('#inf-ttft')).replace(/[^0-9.]/g, ''));
    assert.ok(Math.abs(ms / (cli.ttft_seconds * 1000) - 1) < 0.01, `${ms} ms vs ${cli.ttft_seconds}`);
    for (const id of ['inf-roofline', 'inf-memory', 'inf-throughput', 'inf-latency']) {
      assert.ok((await drawnPixels(page, `#chart-${id} canvas`)) > 1500, `${id} drew nothing`);
    }
    await page.click('[data-key="inf-kv-token"] summary');
    assert.match(await page.textContent('[data-key="inf-kv-token"] details'), /2/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a pasted config.json computes; a config missing a field names it', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&im=custom&igpu=h100-sxm&itp=1`);
    await page.fill('#f-cfg', LLAMA3_8B);
    await page.waitForFunction(() => document.getElementById('inf-kv-token').textContent.includes('131072 B'));
    const broken = JSON.parse(LLAMA3_8B);
    delete broken.num_hidden_layers;
    await page.fill('#f-cfg', JSON.stringify(broken));
    await page.waitForSelector('#inf-notes');
    assert.match(await page.textContent('#inf-notes'), /num_hidden_layers/);
    assert.equal(await page.textContent('#inf-kv-token'), await page.textContent('#inf-kv-token'));
    await page.context().close();
  });

  test('wb=5 in a link is named with its reason and the other fields are kept', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&wb=5&b=8&im=mistral-7b`);
    assert.match(await page.textContent('#link-warnings'), /wb=“5”/);
    assert.equal(await page.inputValue('#f-b'), '8');
    assert.equal(await page.inputValue('#f-im'), 'mistral-7b');
    await page.context().close();
  });

  test('the calibration table shows every row within ±30%', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&sec=inference`);
    const rows = await page.$$eval('#inf-calibration tbody tr:not(.held-out)', (trs) => trs.map((tr) => tr.lastElementChild.textContent));
    assert.ok(rows.length >= 7, `${rows.length} rows`);
    for (const r of rows) assert.ok(Math.abs(parseFloat(r)) <= 30, r);
    await page.context().close();
  });

  test('Chinese labels in the inference section', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&lang=zh&sec=inference`);
    assert.match(await page.textContent('#inference h2'), /推理/);
    assert.match(await page.textContent('#inference'), /首 token 延迟/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}
