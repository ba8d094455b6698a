// Builds the release page into dist/ (`./x build`). No network: every tool is installed by `./x setup`.
//
//   dist/index.html                 index.html (top level, shared with Trunk) without its data-trunk
//                                   links, with the split page's asset tags filled in
//   dist/style-<hash>.css           web/style.css
//   dist/page-<hash>/               the page: wasm-bindgen's scalecalc-web.js and _bg.wasm (the shell
//                                   and the plan), __wasm_split.js, and one split_<section>.wasm per
//                                   deferred section plus chunk_<n>.wasm for code sections share
//   dist/fit-worker*.{js,wasm}      the fit's web worker (src/bin/fit_worker.rs), loaded when runs
//                                   are pasted, through fit-worker_loader.js
//
// The page is split (src/ui/deferred.rs): cargo links it with --emit-relocs, wasm-split cuts the
// functions marked #[wasm_split] into their own modules, wasm-bindgen binds the main one, and
// wasm-opt -Oz shrinks each. The worker is not split and is optimised for speed (-O3).
// Every URL is relative, so dist/ works from any sub-path; the page's directory is named by the
// hash of its contents, so a cache never pairs a new main module with old split modules.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const DIST = join(ROOT, 'dist');

/** Where cargo puts its output: `CARGO_TARGET_DIR`, a `build.target-dir` setting, or ./target. */
function cargoTargetDir() {
  const r = spawnSync('cargo', ['metadata', '--format-version', '1', '--no-deps', '--offline'],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`cargo could not run (${r.error.code}); is Rust installed?`);
  if (r.status !== 0) throw new Error(`cargo metadata failed: ${(r.stderr || '').trim().split('\n').pop()}`);
  return JSON.parse(r.stdout).target_directory;
}

const TARGET = cargoTargetDir();
const WORK = join(TARGET, 'page-build');
const WASM_DIR = join(TARGET, 'wasm32-unknown-unknown');
// The features rustc 1.95 enables for wasm32-unknown-unknown, plus simd128 (.cargo/config.toml).
// wasm-split's modules carry no target_features section, so wasm-opt is told.
// SCALECALC_NAMES=1 keeps function names in the page's wasm, for a profiler (a bigger download).
const NAMES = process.env.SCALECALC_NAMES === '1';
const STRIP = NAMES ? ['-g'] : ['--strip-debug', '--strip-producers'];
const FEATURES = ['--enable-simd', '--enable-bulk-memory', '--enable-sign-ext', '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int', '--enable-reference-types', '--enable-multivalue'];

/** A tool's input must be there: otherwise one line naming the tool and the file, not its backtrace. */
function need(tool, file) {
  if (!existsSync(file)) throw new Error(`${tool}: cannot find ${file}`);
  return file;
}

function run(cmd, args, opts = {}) {
  const env = { ...process.env, RUST_BACKTRACE: '0' };
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, env, ...opts });
  if (r.error) throw new Error(`${cmd} could not run (${r.error.code}); run ./x setup`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}

const hash = (...bufs) => {
  const h = createHash('sha256');
  for (const b of bufs) h.update(b);
  return h.digest('hex').slice(0, 16);
};
const sri = (buf) => `sha384-${createHash('sha384').update(buf).digest('base64')}`;

function buildPage() {
  console.error('[build] page: cargo (wasm-release, --emit-relocs)');
  run('cargo', ['rustc', '--profile', 'wasm-release', '--target', 'wasm32-unknown-unknown',
    '--bin', 'scalecalc-web', '--', '-C', 'link-args=--emit-relocs']);
  const split = join(WORK, 'split');
  const out = join(WORK, 'page');
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  console.error('[build] page: wasm-split, wasm-bindgen, wasm-opt -Oz');
  run('wasm-split-cli', ['--target', 'web', '--out-name', 'scalecalc-web',
    need('wasm-split-cli', join(WASM_DIR, 'wasm-release', 'scalecalc-web.wasm')), split]);
  run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--keep-lld-exports', ...(NAMES ? ['--keep-debug'] : []), '--out-dir', out, '--out-name', 'scalecalc-web',
    need('wasm-bindgen', join(split, 'scalecalc-web.wasm'))]);
  for (const f of readdirSync(split)) {
    if (f === 'scalecalc-web.wasm') continue;
    copyFileSync(join(split, f), join(out, f));
  }
  patchLoader(join(out, '__wasm_split.js'));
  for (const f of readdirSync(out).filter((f) => f.endsWith('.wasm'))) {
    run('wasm-opt', ['-Oz', ...STRIP, ...FEATURES, join(out, f), '-o', join(out, f)]);
  }
  const files = readdirSync(out).sort();
  const dir = `page-${hash(...files.map((f) => readFileSync(join(out, f))))}`;
  renameSync(out, join(DIST, dir));
  return { dir, files };
}

// wasm-split's loader compiles each part with WebAssembly.instantiateStreaming, which refuses a
// response whose Content-Type is not application/wasm: on a host that serves .wasm otherwise, every
// section would fail to load. As wasm-bindgen's own loader does for the main module, fall back to
// compiling the bytes, and name a failed request by its URL and status.
const INSTANTIATE = `async function __instantiate(src, imports) {
    const r = await src;
    if (!r.ok) throw new Error(\`\${r.url}: HTTP \${r.status}\`);
    if (/^application\\/wasm\\s*(;|$)/i.test(r.headers.get('Content-Type') || '')) return WebAssembly.instantiateStreaming(r, imports);
    return WebAssembly.instantiate(await r.arrayBuffer(), imports);
}
`;
function patchLoader(path) {
  const js = readFileSync(path, 'utf8');
  const call = 'WebAssembly.instantiateStreaming(src, imports)';
  const n = js.split(call).length - 1;
  if (n === 0) throw new Error(`${path}: no "${call}" to patch (a new wasm-split?)`);
  writeFileSync(path, INSTANTIATE + js.split(call).join('__instantiate(src, imports)'));
}

function buildWorker() {
  console.error('[build] fit worker: cargo (worker-release), wasm-bindgen, wasm-opt -O3');
  run('cargo', ['build', '--profile', 'worker-release', '--target', 'wasm32-unknown-unknown',
    '--bin', 'fit-worker', '--no-default-features', '--features', 'worker']);
  run('wasm-bindgen', ['--target', 'no-modules', '--no-typescript', '--out-dir', DIST, '--out-name', 'fit-worker',
    need('wasm-bindgen', join(WASM_DIR, 'worker-release', 'fit-worker.wasm'))]);
  const wasm = join(DIST, 'fit-worker_bg.wasm');
  run('wasm-opt', ['-O3', '--strip-debug', '--strip-producers', ...FEATURES, wasm, '-o', wasm]);
  // What src/ui/fit_pool.rs starts: the bindings, then the module, both beside it.
  writeFileSync(join(DIST, 'fit-worker_loader.js'),
    'importScripts("./fit-worker.js");wasm_bindgen("./fit-worker_bg.wasm");');
}

function buildCss() {
  const css = readFileSync(join(ROOT, 'web', 'style.css'));
  const name = `style-${hash(css)}.css`;
  writeFileSync(join(DIST, name), css);
  return { name, integrity: sri(css) };
}

function writeHtml(css, page) {
  const js = `./${page.dir}/scalecalc-web.js`;
  const wasm = `./${page.dir}/scalecalc-web_bg.wasm`;
  const integrity = (f) => sri(readFileSync(join(DIST, page.dir, f)));
  const tags = [
    `<link rel="stylesheet" href="./${css.name}" integrity="${css.integrity}"/>`,
    `<link rel="modulepreload" href="${js}" integrity="${integrity('scalecalc-web.js')}"/>`,
    `<link rel="modulepreload" href="./${page.dir}/__wasm_split.js" integrity="${integrity('__wasm_split.js')}"/>`,
    `<link rel="preload" href="${wasm}" as="fetch" type="application/wasm" crossorigin="anonymous"/>`,
    `<script type="module">import init from '${js}'; await init({ module_or_path: '${wasm}' });</script>`,
  ].join('\n  ');
  // The top-level index.html serves Trunk too: its data-trunk links are Trunk's, not ours.
  // Its comments are for developers; only the assets marker stays, to be replaced.
  const marker = '<!-- assets -->';
  const src = readFileSync(join(ROOT, 'index.html'), 'utf8')
    .replace(/<!--(?! assets -->)[\s\S]*?-->\n?/g, '')
    .split('\n').filter((l) => !l.includes('data-trunk')).join('\n');
  if (!src.includes(marker)) throw new Error(`index.html lacks the ${marker} marker`);
  writeFileSync(join(DIST, 'index.html'), src.replace(marker, tags));
}

try {
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(DIST, { recursive: true });
  const page = buildPage();
  buildWorker();
  const css = buildCss();
  writeHtml(css, page);
  console.error(`[build] dist/ ready: ${page.dir}/ holds ${page.files.length} files`);
} catch (e) {
  console.error(`[build] ${e.message}`);
  process.exit(1);
}
