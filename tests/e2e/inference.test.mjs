// The Inference section: presets and hardware, a pasted Hugging Face config.json, cards against
// `scalecalc infer --json`, notes, link warnings, calibration tables, "how", Chinese, charts.
import { openPage, drawnPixels, typeInto, checkUpdateTarget, measureUpdates, valuesOf, currentUrl } from './lib.mjs';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';

const CARDS = ['inf-weights', 'inf-kv-token', 'inf-kv', 'inf-act', 'inf-mem', 'inf-fit', 'inf-ttft', 'inf-tpot',
  'inf-tps-seq', 'inf-tps', 'inf-e2e', 'inf-tau', 'inf-cost-in', 'inf-cost-out', 'inf-lifetime', 'inf-energy'];

/** Every inference card as shown. */
async function cards(page) {
  return page.evaluate((ids) => Object.fromEntries(ids.map((id) => [id, document.getElementById(id)?.textContent])), CARDS);
}

/** The leading number of a card's text ("13.0 ms" → 13). */
const lead = (s) => Number(s.replace(/,/g, '').match(/-?[\d.]+/)[0]);

/** `x` shown with three significant digits: compare the value at that precision. */
function near(shown, x, what) {
  const rel = Math.abs(shown - x) / Math.abs(x);
  assert.ok(rel < 0.006, `${what}: page shows ${shown}, CLI says ${x}`);
}

// Llama 3 8B's config.json as published on Hugging Face (meta-llama/Meta-Llama-3-8B).
const LLAMA3_8B = {
  architectures: ['LlamaForCausalLM'], attention_bias: false, attention_dropout: 0.0, bos_token_id: 128000,
  eos_token_id: 128001, hidden_act: 'silu', hidden_size: 4096, initializer_range: 0.02, intermediate_size: 14336,
  max_position_embeddings: 8192, model_type: 'llama', num_attention_heads: 32, num_hidden_layers: 32,
  num_key_value_heads: 8, pretraining_tp: 1, rms_norm_eps: 1e-05, rope_scaling: null, rope_theta: 500000.0,
  tie_word_embeddings: false, torch_dtype: 'bfloat16', transformers_version: '4.40.0.dev0', use_cache: true,
  vocab_size: 128256,
};

export default function register(test, { srv, browser, figures, CLI }) {
  test('llama-2-7b on a100-80gb: the cards agree with scalecalc infer --json', async () => {
    const page = await openPage(browser, srv.base + '?v=1&sec=inference');
    await page.selectOption('#f-im', 'llama-2-7b');
    await page.selectOption('#f-igpu', 'a100-80gb');
    await typeInto(page, '#f-itp', '1');
    await typeInto(page, '#f-b', '8');
    await typeInto(page, '#f-in', '512');
    await typeInto(page, '#f-out', '128');
    await typeInto(page, '#f-iprice', '2.5');
    await typeInto(page, '#f-util', '0.5');
    await page.waitForFunction(() => /im=llama-2-7b/.test(location.search) && /util=0\.5/.test(location.search));
    const c = await cards(page);
    const cli = JSON.parse(execFileSync(CLI, ['infer', '--model', 'llama-2-7b', '--gpu', 'a100-80gb', '--gpus', '1',
      '--batch', '8', '--input-tokens', '512', '--output-tokens', '128', '--price-per-gpu-hour', '2.5',
      '--utilisation', '0.5', '--json'], { encoding: 'utf8' }));
    const GIB = 2 ** 30;
    assert.match(c['inf-kv-token'], /524,288 B \(512 KiB\)/);
    assert.equal(cli.kv_cache_bytes_per_token, 524288);
    near(lead(c['inf-weights']), cli.weights_bytes / GIB, 'weights');
    near(lead(c['inf-kv']), cli.kv_cache_bytes / GIB, 'KV total');
    near(lead(c['inf-act']), cli.activation_bytes / GIB, 'activations');
    near(lead(c['inf-mem']), cli.memory_per_gpu_bytes / GIB, 'memory per GPU');
    assert.match(c['inf-mem'], /of 80\.0 GiB/);
    assert.equal(cli.fits, true);
    assert.match(c['inf-fit'], new RegExp(`^fits · max batch ${cli.max_batch}$`));
    near(lead(c['inf-ttft']), cli.ttft_seconds * 1e3, 'TTFT (ms)');
    assert.match(c['inf-ttft'], / ms$/);
    near(lead(c['inf-tpot']), cli.seconds_per_output_token * 1e3, 'time per token (ms)');
    near(lead(c['inf-tps-seq']), cli.tokens_per_second_per_sequence, 'tokens/s per sequence');
    near(lead(c['inf-tps']), cli.output_tokens_per_second, 'aggregate tokens/s');
    near(lead(c['inf-e2e']), cli.end_to_end_seconds, 'end-to-end');
    near(lead(c['inf-cost-in']), cli.cost_per_million_input_tokens_usd, '$/M input');
    near(lead(c['inf-cost-out']), cli.cost_per_million_output_tokens_usd, '$/M output');
    near(lead(c['inf-energy']), cli.energy_kwh_per_million_tokens, 'kWh/M');
    assert.match(c['inf-cost-out'], /^\$/);
    assert.equal(c['inf-tau'], '1.00');
    // The URL keeps the inputs: a reload shows the same cards.
    const page2 = await openPage(browser, (await currentUrl(page)));
    await page2.waitForSelector('#inf-weights');
    assert.deepEqual(await cards(page2), c);
    assert.equal(await page2.inputValue('#f-b'), '8');
    assert.equal(await page2.inputValue('#f-im'), 'llama-2-7b');
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page2.errors, []);
    await page.context().close();
    await page2.context().close();
  });

  test('choosing custom and pasting a Llama-3-8B config.json computes; a missing field is named', async () => {
    const page = await openPage(browser, srv.base + '?v=1&sec=inference&igpu=h100-sxm&itp=1&b=4&in=1000&out=200');
    await page.selectOption('#f-im', 'custom');
    await page.waitForSelector('#f-cfg');
    await page.fill('#f-cfg', JSON.stringify(LLAMA3_8B, null, 2));
    await page.waitForFunction(() => document.getElementById('inf-kv-token')?.textContent.startsWith('131,072 B'));
    assert.equal(await page.textContent('#e-cfg'), '');
    const c = await cards(page);
    const cli = JSON.parse(execFileSync(CLI, ['infer', '--model', 'llama-3-8b', '--gpu', 'h100-sxm', '--batch', '4',
      '--input-tokens', '1000', '--output-tokens', '200', '--json'], { encoding: 'utf8' }));
    near(lead(c['inf-weights']), cli.weights_bytes / 2 ** 30, 'pasted config weights = preset weights');
    near(lead(c['inf-tps']), cli.output_tokens_per_second, 'pasted config throughput = preset throughput');
    assert.ok((await currentUrl(page)).includes('im=custom') && (await currentUrl(page)).includes('cfg='), 'the config lives in the link');
    // Drop a required field: the message names it and the cards show no stale numbers.
    const broken = { ...LLAMA3_8B };
    delete broken.num_hidden_layers;
    await page.fill('#f-cfg', JSON.stringify(broken));
    await page.waitForFunction(() => /num_hidden_layers/.test(document.getElementById('e-cfg').textContent));
    assert.match(await page.textContent('#e-cfg'), /lacks the field .*num_hidden_layers/);
    assert.equal(await page.getAttribute('#f-cfg', 'aria-invalid'), 'true');
    assert.equal(await page.textContent('#inf-weights'), '—');
    await page.fill('#f-cfg', '{ not json');
    await page.waitForFunction(() => /not valid JSON/.test(document.getElementById('e-cfg').textContent));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('wb=5 in the link: a warning names it, other fields are kept; notes for context and fit', async () => {
    const page = await openPage(browser, srv.base + '?v=1&sec=inference&im=llama-2-7b&igpu=rtx-4090&itp=1&wb=5&b=6&in=5000&out=100');
    const msg = await page.textContent('#link-warnings');
    assert.match(msg, /wb=“5”: not one of 2, 3, 4, 8, 16, 32/);
    assert.equal(await page.inputValue('#f-wb'), '16', 'bad field falls back to its default');
    assert.equal(await page.inputValue('#f-b'), '6');
    assert.equal(await page.inputValue('#f-in'), '5000');
    assert.equal(await page.inputValue('#f-igpu'), 'rtx-4090');
    const notes = await page.textContent('#inf-notes');
    assert.match(notes, /exceeds the model's trained maximum of 4,096/);
    assert.match(notes, /Does not fit/);
    assert.match(await page.textContent('#inf-fit'), /does not fit/);
    // Choosing 4-bit weights from the select makes it fit and updates the link.
    await page.selectOption('#f-wb', '4');
    await page.waitForFunction(() => location.search.includes('wb=4'));
    assert.match(await page.textContent('#inf-fit'), /^fits/);
    // The list-price button puts the device's default price into the price field and the link.
    const listed = (await page.textContent('#inf-list-price')).match(/[\d.]+/)[0];
    await page.click('#inf-list-price');
    await page.waitForFunction((p) => Number(document.getElementById('f-iprice').value) === Number(p), listed);
    assert.ok((await currentUrl(page)).includes(`iprice=${Number(listed)}`), (await currentUrl(page)));
    // A typed bad batch is named next to the field and changes nothing.
    const before = await cards(page);
    await typeInto(page, '#f-b', '0');
    assert.match(await page.textContent('#e-b'), /outside the allowed range/);
    assert.deepEqual(await cards(page), before);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('calibration and held-out validation tables, and the calibration constants with "how"', async () => {
    const page = await openPage(browser, srv.base + '?v=1&sec=inference');
    const cal = await page.$$eval('#inf-calibration tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
    assert.ok(cal.length >= 5, `${cal.length} calibration rows`);
    for (const [label, , measured, predicted, err] of cal) {
      assert.ok(label.length > 5);
      const m = Number(measured), p = Number(predicted), e = Number(err.replace('%', ''));
      assert.ok(m > 0 && p > 0, `${label}: ${measured} ${predicted}`);
      assert.ok(Math.abs(e) <= 30, `${label}: fitted row error ${err} beyond ±30%`);
      assert.ok(Math.abs((p / m - 1) * 100 - e) < 0.2, `${label}: error column ${err} ≠ predicted/measured − 1`);
    }
    assert.ok(cal.some((r) => /LLaMA 7B/.test(r[0])));
    const val = await page.$$eval('#inf-validation tbody tr', (rows) => rows.length);
    assert.ok(val >= 3, `${val} validation rows`);
    assert.match(await page.textContent('#inf-validation caption'), /not fitted/);
    assert.match(await page.textContent('#inf-calibration caption'), /fitted/);
    assert.ok(Number(await page.textContent('#inf-eta-bw')) > 0);
    await page.click('[data-key="inf-eta-bw"] details.how summary');
    assert.match(await page.textContent('[data-key="inf-eta-bw"] details.how'), /TensorRT-LLM/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the "how" disclosure of KV per token shows formula, values and source', async () => {
    const page = await openPage(browser, srv.base + '?v=1&sec=inference&im=llama-2-7b');
    await page.click('[data-key="inf-kv-token"] details.how summary');
    const text = await page.textContent('[data-key="inf-kv-token"] details.how');
    assert.match(text, /kv = L · e_kv · bits \/ 8/);
    assert.match(text, /32 · 8192 · 16 \/ 8/);
    assert.match(text, /Pope et al\. 2022/);
    assert.ok(await page.isVisible('[data-key="inf-kv-token"] details.how a[href^="https://arxiv.org/"]'));
    await page.click('[data-key="inf-cost-out"] details.how summary');
    assert.match(await page.textContent('[data-key="inf-cost-out"] details.how'), /T_decode · p · G/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('Chinese labels with ?lang=zh&sec=inference', async () => {
    const page = await openPage(browser, srv.base + '?v=1&lang=zh&sec=inference&im=llama-2-7b&igpu=a100-80gb&itp=1');
    assert.match(await page.textContent('#inference-title'), /推理/);
    assert.match(await page.textContent('label[for="f-b"]'), /批大小/);
    assert.match(await page.textContent('#inf-ttft'), /毫秒|秒/);
    assert.match(await page.textContent('#inf-cost-out'), /美元/);
    assert.match(await page.textContent('#inf-fit'), /^可以/);
    assert.match(await page.textContent('#inf-validation caption'), /未参与拟合/);
    assert.match(await page.textContent('#chart-inf-roofline figcaption'), /屋顶线/);
    // No English label is left in the section's headings and field labels.
    const english = await page.$$eval('#inference h2, #inference h3, #inference label, #inference .card-label, #inference th',
      (els) => els.map((e) => e.textContent).filter((s) => /\b(the|per|of|and)\b/i.test(s)));
    assert.deepEqual(english, []);
    await page.selectOption('#f-im', 'custom');
    await page.waitForSelector('#f-cfg');
    await page.fill('#f-cfg', '{"hidden_size": 4096}');
    await page.waitForFunction(() => /缺少字段/.test(document.getElementById('e-cfg').textContent));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the four charts draw; a change redraws them within budget', async () => {
    const page = await openPage(browser, srv.base + '?v=1&sec=inference&im=llama-3-8b&igpu=h100-sxm&itp=1');
    for (const id of ['inf-roofline', 'inf-memory', 'inf-throughput', 'inf-latency']) {
      const px = await drawnPixels(page, `#chart-${id} canvas`);
      assert.ok(px > 2000, `${id} drew only ${px} pixels`);
    }
    const canvases = ['inf-roofline', 'inf-memory', 'inf-throughput', 'inf-latency'].map((id) => `#chart-${id} canvas`);
    assert.equal(await page.locator('#inference canvas').count(), canvases.length, 'every chart of the section is timed');
    const times = await measureUpdates(page, {
      input: '#f-b', out: '#inf-tps', canvases,
      values: valuesOf(30, (i) => [16, 32, 64, 8, 4, 2][i % 6] + (i % 5)),
    });
    figures.inference_update_ms_median = times.median.toFixed(2);
    figures.inference_update_ms_p90 = times.p90.toFixed(2);
    checkUpdateTarget(figures, 'inference', times.median);
    // An edit in another section does not redraw this one.
    const draws = await page.getAttribute('#chart-inf-roofline canvas', 'data-draws');
    await typeInto(page, '#f-c', '1e22');
    await page.waitForFunction(() => location.search.includes('c=1e22'));
    assert.equal(await page.getAttribute('#chart-inf-roofline canvas', 'data-draws'), draws);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}
