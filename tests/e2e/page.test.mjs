// The page as a whole: accessibility (axe-core), offline use, self-contained requests, small
// screens, keyboard focus, and Chinese text coverage.
import { openPage, waitRendered } from './lib.mjs';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

/** Visible text nodes of the page (closed <details> contents are not visible; citations marked
 *  lang="en" stay in the publication's language). */
async function visibleTexts(page) {
  return page.evaluate(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      // Formulas (code, var) use the same symbols in both languages; citations (cite) stay as published.
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent.trim();
      if (!text || !el || el.closest('script,style,noscript,code,var,cite,option:not(:checked),[lang="en"]')) continue;
      if (!el.checkVisibility || !el.checkVisibility()) continue;
      out.push(text);
    }
    return out;
  });
}

/** Latin-script words a Chinese reader may see: formulas' symbols, units, acronyms, names of
 *  models, hardware, software and authors, and CSV column names. Explicit words, not a pattern
 *  that lets any capitalised word through. */
const ALLOWED_WORDS = new Set(`
  scalecalc nvidia-smi config.json JSON CSV PNG API arXiv
  GPU GPUs TPU FLOP FLOPs TFLOP PF GiB MiB KiB TiB GB MB TB KB Gb MT MWh kWh CO₂ CO₂e tCO₂e tCO2eq gCO2e token
  MFU HFU PUE TTFT TPOT KV GQA MLA MoE LoRA QLoRA ZeRO FSDP TP PP CP EP DP SGD Adam FFN SwiGLU
  BF16 bf16 FP8 FP16 FP32 NF4 HBM3 GDDR6X LPDDR5X NVLink ConnectX L-BFGS LSE Huber IsoFLOP SSE
  ML MLP SKU p2p all-reduce all-to-all all-gather reduce-scatter allgather allreduce FlashAttention
  Llama LLaMA GPT MiniCPM Mistral Gemma Qwen DeepSeek DeepSeek-V3 DeepSeek-V2 DeepSeek-R1 Claude Gemini
  Chinchilla PaLM Megatron-LM Megatron-Core TensorRT-LLM Epoch Kaplan Hoffmann Sardana Muennighoff
  Besiroglu Ho Xiao Liu Narayanan Korthikanti Hobbhahn Pope Efron Leviathan Shoeybi Thakur Dao
  Rajbhandari Dettmers Hu Lepikhin Brown Touvron Dubey Jiang Chowdhery Student
  NVIDIA AMD Apple Google Huawei Ascend Meta MacBook Air Pro GeForce RTX Instinct HGX DGX SXM SXM5 PCIe Ultra
  WAIC ChatGPT Hugging Face Megatron IT RoPE
  name date params effective_params density tokens loss flops release_date total_params active_params
  mmlu_5shot score compute value YYYY-MM-DD
  ln log log₂ exp max min argmin
  MMLU MATH Falcon Gopher LLM USD CNY base deepseek-chat deepseek-reasoner scatter/gather
`.trim().split(/\s+/));
/** English words that are never a symbol (short words are otherwise taken as symbols: N, D, tp…). */
const ENGLISH_SHORT = new Set('of on in to by at is or as an if it be no up vs per the and for not are was see use'.split(' '));

/** The words of `texts` that are neither Chinese nor allowed, each with its text. */
function strayEnglish(texts) {
  const stray = [];
  for (const t of texts) {
    for (const w of t.match(/[A-Za-z_][A-Za-z0-9_.\-/₂]*/g) || []) {
      const word = w.replace(/[.\-/]+$/, '');
      const ok = ALLOWED_WORDS.has(word)
        || /\d/.test(word) // model and hardware names, versions: H100, FP8, v2, 3B
        || /_/.test(word) // symbols: N_ref, η_bw, Σ_layers
        || (word.length <= 2 && !ENGLISH_SHORT.has(word.toLowerCase()))
        || word.split(/[-/]/).every((p) => !p || ALLOWED_WORDS.has(p) || /\d/.test(p) || (p.length <= 2 && !ENGLISH_SHORT.has(p.toLowerCase())));
      if (!ok) stray.push(`${w} (in “${t.slice(0, 80)}”)`);
    }
  }
  return stray;
}

export default function register(test, { srv, browser, figures }) {
  test('axe-core finds no serious or critical violations (light and dark)', async () => {
    for (const theme of ['light', 'dark']) {
      const page = await openPage(browser, `${srv.base}?v=1&theme=${theme}`);
      await page.addScriptTag({ path: AXE });
      const res = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, n: v.nodes.length, help: v.help,
          where: v.nodes.slice(0, 2).map((x) => x.target.join(' ')) }));
      });
      const bad = res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      figures[`axe_${theme}_violations`] = res.length;
      assert.deepEqual(bad, [], `${theme}: ${JSON.stringify(bad, null, 1)}`);
      await page.context().close();
    }
  });

  test('requests nothing beyond its own files and keeps working offline once loaded', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const foreign = [];
    page.on('request', (r) => { if (!r.url().startsWith(srv.base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url()); });
    await page.goto(srv.base);
    // Loaded means every part: the sections below the plan arrive as modules of their own.
    await waitRendered(page);
    await context.setOffline(true);
    const before = await page.textContent('#out-params');
    await page.fill('#f-c', '1e25');
    await page.waitForFunction((b) => document.getElementById('out-params').textContent !== b, before);
    // A deferred section computes offline too (the training days follow the GPU count).
    const days = await page.textContent('#out-train-days');
    await page.fill('#f-k', '4096');
    await page.waitForFunction((b) => document.getElementById('out-train-days').textContent !== b, days);
    assert.deepEqual(foreign, []);
    await context.close();
  });

  test('a 360-px phone: no horizontal scrolling, everything reachable', async () => {
    const page = await openPage(browser, srv.base, { viewport: { width: 360, height: 740 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
    const canvasW = await page.evaluate(() => document.querySelector('#chart-optimal canvas').getBoundingClientRect().width);
    assert.ok(canvasW <= 360, `chart is ${canvasW}px wide`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('keyboard: Tab reaches the inputs with a visible focus ring', async () => {
    const page = await openPage(browser, srv.base);
    let found = false;
    for (let i = 0; i < 40 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => document.activeElement?.id === 'f-c');
    }
    assert.ok(found, 'Tab never reached the budget input');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none');
    await page.keyboard.type('0');   // appends a digit: 5.76e230 is out of range → error shown
    assert.match(await page.textContent('#e-c'), /outside the allowed range/);
    await page.context().close();
  });

  test('in Chinese, visible text comes from the Chinese tables (no stray English words): every section, every disclosure, titles and labels', async () => {
    const page = await openPage(browser, `${srv.base}?v=1&lang=zh`);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    // Visit every section (each arrives as its own module) and the atlas, then open every
    // disclosure: the "how" boxes, the plan's assumptions, the tables behind a summary.
    for (const sel of ['#plan', '#scaling', '#density', '#atlas-title', '#training', '#inference']) {
      const el = page.locator(sel).first();
      if (await el.count()) { await el.scrollIntoViewIfNeeded(); await page.waitForTimeout(150); }
    }
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    await page.waitForTimeout(400);
    const found = await page.evaluate(() => {
      const out = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      // Paper titles and citations (<cite>) stay as published; so do texts marked lang="en"
      // (the atlas's data rows quote their English sources). Formulas (<code>) are scanned.
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        const text = n.textContent.trim();
        if (!text || !el || el.closest('script,style,noscript,textarea,cite,option:not(:checked),[lang="en"]')) continue;
        if (!el.checkVisibility || !el.checkVisibility()) continue;
        // A locator may quote its source's own heading in “…” (a table's English name).
        out.push(el.closest('.locator') ? text.replace(/“[^”]*”/g, '“”') : text);
      }
      for (const el of document.querySelectorAll('[title],[aria-label],[placeholder]')) {
        if (el.closest('[lang="en"]')) continue;
        for (const a of ['title', 'aria-label', 'placeholder']) if (el.getAttribute(a)) out.push(el.getAttribute(a).replace(/“[^”]*”/g, '“”'));
      }
      out.push(document.title);
      out.push(document.querySelector('meta[name=description]')?.content || '');
      return out;
    });
    const stray = strayEnglish(found);
    if (process.env.ZH_STRAY) (await import('node:fs')).writeFileSync(process.env.ZH_STRAY, stray.join('\n'));
    figures.zh_texts_scanned = found.length;
    assert.ok(found.length > 500, `only ${found.length} texts scanned: the sections did not render`);
    assert.deepEqual(stray, [], `${stray.length} stray words:\n${stray.join('\n')}`);
    // The scan catches English: the same page in English has many stray words.
    const en = await openPage(browser, `${srv.base}?v=1&lang=en`);
    const enTexts = await en.evaluate(() => document.body.innerText.split('\n'));
    const enStray = strayEnglish(enTexts).length;
    assert.ok(enStray > 20, `the scan no longer sees English words (${enStray} in ${enTexts.length} English texts)`);
    await en.context().close();
    await page.context().close();
  });
}
