// Browser end-to-end tests: drive the real page in Debian's Chromium as a person would.
// Every `*.test.mjs` file here registers its tests; `node tests/e2e/run.mjs [filter]` runs them and
// prints `N passed, N failed` (non-zero exit on any failure).
import { serve, launch } from './lib.mjs';
import { readdirSync } from 'node:fs';

const HERE = new URL('.', import.meta.url).pathname;
const DIST = new URL('../../dist', import.meta.url).pathname;
// The release CLI: `./x test` says where cargo put it (CARGO_TARGET_DIR may move it from ./target).
const CLI = process.env.SCALECALC_CLI || new URL('../../target/release/scalecalc', import.meta.url).pathname;
const only = process.argv[2];

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
const figures = {};

const srv = await serve(DIST, '/sub/path/');   // served from a sub-path: proves relative asset URLs
const browser = await launch();
const env = { srv, browser, figures, DIST, CLI };
for (const f of readdirSync(HERE).filter((f) => f.endsWith('.test.mjs')).sort()) {
  const mod = await import(HERE + f);
  mod.default((name, fn) => test(`${f.replace('.test.mjs', '')}: ${name}`, fn), env);
}

let passed = 0;
let failed = 0;
for (const t of tests) {
  if (only && !t.name.includes(only)) continue;
  const t0 = Date.now();
  try {
    await t.fn();
    passed++;
    console.log(`ok   ${t.name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${t.name}\n     ${String((e && e.stack) || e).split('\n').slice(0, 6).join('\n     ')}`);
  }
}
await browser.close();
srv.close();
console.log(`figures: ${JSON.stringify(figures)}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
