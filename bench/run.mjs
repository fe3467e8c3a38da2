#!/usr/bin/env node
// `npm run bench`: inapp-consent against vanilla-cookieconsent 3.1.0 and Orejime 3.2.1, side by
// side in one run. Prints the machine and a markdown table, writes bench/RESULTS.md.
//
//   node bench/run.mjs                 everything (builds with rollup first if dist/ is missing)
//   node bench/run.mjs --build         rebuild dist/ with `rollup -c` first, whatever is there
//   node bench/run.mjs --no-build      never build, measure what dist/ holds (n/a for what is missing)
//   node bench/run.mjs --runs 11       trials per timed measurement (default: time to dialog 21, returning user 7)
//   node bench/run.mjs --quick         3 trials each, for trying the harness (not for RESULTS.md)
//   node bench/run.mjs --only size,dialog,return,receipts,reads
//   node bench/run.mjs --no-write      print only
//
// Anything not built yet is reported as "n/a — <what is missing>", never as a failure. Timings
// are medians of interleaved trials (the libraries take turns, the order rotating each round);
// the methods are written into RESULTS.md next to the figures. Never part of `npm test`: only
// the byte budget (scripts/size-budget.mjs) may fail CI.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { awaitInPage, dialogProbe, heapAfterGc, launch, mainThreadTime, metrics, phoneContext, throttledPage, CHROMIUM_PATH, TRACE_CATEGORIES } from './lib/browser.mjs';
import { startReceiverProcess, tsxCli } from './lib/receiver.mjs';
import { readBody, startStaticServer } from './lib/server.mjs';
import { anchorSizes, breakdownMarkdown, esmBundle, headlessBundle, measureFile, SCRIPT_TAG_JS, scriptTagFiles, sourceBreakdown } from './lib/sizes.mjs';
import { fmtInt, median, quantile, ratio, summary } from './lib/stats.mjs';
import { whatIf, whatIfMarkdown } from './whatif.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string' }, only: { type: 'string' }, build: { type: 'boolean', default: false }, 'no-build': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false }, 'no-write': { type: 'boolean', default: false },
  },
});
// 21 rounds of the five pages (~65 s): across runs of 9 the ratio to vanilla-cookieconsent's moved
// between 1.30× and 1.47× (bench/size-steps.md), more than any step this round measured.
const DIALOG_RUNS = Number(flags.runs ?? (flags.quick ? 3 : 21));
const RETURN_RUNS = Number(flags.runs ?? (flags.quick ? 3 : 7));
const HEAP_RUNS = flags.quick ? 3 : 7;
const RECEIPT_TOGGLES = flags.quick ? 10 : 30;
const OUTBOX_SIZE = 1000;
const OUTBOX_CAP_MS = flags.quick ? 20_000 : 60_000;
const SLOWDOWN = 4;
const DIALOG_TIMEOUT_MS = 8000;
const SETTLE_MS = 500;
const POLICY = 'examples/policies/lakala-pay.json';
const SECTIONS = new Set((flags.only ?? 'size,dialog,return,receipts,reads').split(',').map((name) => name.trim()));
const started = performance.now();
const log = (message) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const na = (reason) => `n/a — ${reason}`;
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
const rotate = (list, by) => list.map((_, index) => list[(index + by) % list.length]);
const errorText = (error) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

const NAMES = { ours: 'inapp-consent', oursInline: 'inapp-consent (policy in the page)', vccSame: 'vanilla-cookieconsent 3.1.0 (our dialog\'s text)', vcc: 'vanilla-cookieconsent 3.1.0', orejime: 'Orejime 3.2.1' };
/** One row of the main table: our figure, the anchors', ratios (ours ÷ theirs), the budget. */
const rows = [];
const row = (metric, ours, vcc = '—', orejime = '—', rVcc = '', rOrejime = '', budget = '') => rows.push({ metric, ours, vcc, orejime, rVcc, rOrejime, budget });
const notes = [];
const details = [];
// "What costs the bytes and what was tried": bench/size-steps.md (the steps taken, each measured
// when it was made) followed by this run's breakdown and what-if tables.
const bytes = [];

// ---------------------------------------------------------------------------------- build
function ensureBuilt() {
  const missing = [SCRIPT_TAG_JS, 'dist/headless.js'].filter((path) => !existsSync(join(root, path)));
  if (flags['no-build'] || (!flags.build && missing.length === 0)) return;
  log(flags.build ? 'building: rollup -c' : `building (${missing.join(', ')} missing): rollup -c`);
  const result = spawnSync(process.execPath, [join(root, 'node_modules/rollup/dist/bin/rollup'), '-c'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) notes.push(`\`rollup -c\` failed (exit ${result.status}); whatever dist/ holds was measured.`);
}

function provenance() {
  const git = (args) => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  const dirty = git(['status', '--porcelain']).split('\n').filter(Boolean).length;
  const built = existsSync(join(root, SCRIPT_TAG_JS)) ? statSync(join(root, SCRIPT_TAG_JS)).mtime.toISOString() : 'not built';
  return { commit: git(['rev-parse', '--short', 'HEAD']) || 'unknown', dirty, built };
}

function machine(chromium) {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium: chromium ?? 'not launched',
    load: os.loadavg().map((value) => value.toFixed(2)).join(' '),
  };
}

// ---------------------------------------------------------------------------------- server
const SCRIPT_TAG = scriptTagFiles(root);
const cssLinks = () => SCRIPT_TAG.files.filter((file) => file.path.endsWith('.css') && !file.missing).map((file) => `<link rel="stylesheet" href="/${file.path}">`).join('\n');
const endpointHits = { count: 0 };
/** The outbox proxy in front of the reference receiver: counts batches and per-receipt answers. */
const proxy = { target: undefined, posts: 0, ok: 0, statuses: {}, sent: 0, jtiSent: new Map(), accepted: new Map() };
const decodeJti = (jws) => {
  try {
    return JSON.parse(Buffer.from(String(jws).split('.')[1], 'base64url').toString('utf8')).jti;
  } catch {
    return undefined;
  }
};

const pageRoute = (file) => (request, response) => {
  // Pages are static files; the script-tag CSS (if a build ever ships one) is linked in here.
  const html = readFileSync(join(root, 'bench/pages', file), 'utf8').replace('<!--SCRIPT_TAG_CSS-->', cssLinks())
    .replace('<!--POLICY_JSON-->', () => readFileSync(join(root, POLICY), 'utf8').replace(/</g, '\\u003c'));
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
};

async function proxyRoute(request, response) {
  if (request.method === 'OPTIONS') return void response.writeHead(204).end();
  const body = await readBody(request);
  if (!proxy.target) return void response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"receiver down"}');
  proxy.posts += 1;
  let sent = [];
  try {
    sent = JSON.parse(body.toString('utf8'));
  } catch {
    // counted as a post; the receiver answers it
  }
  for (const jws of Array.isArray(sent) ? sent : []) {
    const jti = decodeJti(jws);
    proxy.sent += 1;
    proxy.jtiSent.set(jti, (proxy.jtiSent.get(jti) ?? 0) + 1);
  }
  const upstream = await fetch(`${proxy.target}/receipts`, {
    method: 'POST', body, headers: { 'content-type': request.headers['content-type'] ?? 'application/json', ...(request.headers['idempotency-key'] ? { 'idempotency-key': request.headers['idempotency-key'] } : {}) },
  });
  const text = await upstream.text();
  if (upstream.ok) proxy.ok += 1;
  try {
    for (const result of JSON.parse(text).results ?? []) {
      proxy.statuses[result.status] = (proxy.statuses[result.status] ?? 0) + 1;
      if (result.status === 'accepted') proxy.accepted.set(result.jti, (proxy.accepted.get(result.jti) ?? 0) + 1);
    }
  } catch {
    // not JSON: counted by status only
  }
  const headers = { 'content-type': upstream.headers.get('content-type') ?? 'application/json' };
  if (upstream.headers.get('retry-after')) headers['retry-after'] = upstream.headers.get('retry-after');
  response.writeHead(upstream.status, headers).end(text);
}

const routes = {
  '/bench/receipts': (request, response) => {
    endpointHits.count += 1;
    response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"benchmark endpoint: not a receiver"}');
  },
  '/bench/proxy/receipts': (request, response) => void proxyRoute(request, response).catch((error) => response.writeHead(502).end(String(error))),
};
// The script-tag contract is a global `InAppConsent` (DESIGN.md). Should a build drop it (a
// minifier treating the IIFE as a module removes the unused top-level `var`), the runtime
// measurements still need `InAppConsent.create`: the file is then served with its exports object
// bound to window — the same code otherwise — and the results say so. Sizes use the file as built.
const iifeShim = { applied: false };
routes[`/${SCRIPT_TAG_JS}`] = (request, response) => {
  const file = join(root, SCRIPT_TAG_JS);
  if (!existsSync(file)) return void response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  let code = readFileSync(file, 'utf8');
  if (!/\bInAppConsent\s*=/.test(code) && /\(\{\}\)(;?\s*)$/.test(code)) {
    code = code.replace(/\(\{\}\)(;?\s*)$/, '(window.InAppConsent={})$1');
    iifeShim.applied = true;
  }
  response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(code);
};
for (const file of ['ours-first.html', 'ours-first-inline.html', 'ours-return.html', 'ours-lab.html', 'vcc-first.html', 'vcc-return.html', 'orejime-first.html', 'orejime-return.html', 'blank.html']) {
  routes[`/bench/pages/${file}`] = pageRoute(file);
}

// Our first-launch dialog's title and body, as rendered in the warm-up trial (dialogSection).
const sameText = { title: '', html: '' };
routes['/bench/pages/vcc-first-same-text.html'] = (request, response) => {
  const html = readFileSync(join(root, 'bench/pages/vcc-first.html'), 'utf8')
    .replace('<html lang="en">', '<html lang="zh-CN">')
    .replace('/bench/pages/vcc-config.js', '/bench/pages/vcc-config-same-text.js');
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
};
routes['/bench/pages/vcc-config-same-text.js'] = (request, response) => {
  const code = readFileSync(join(root, 'bench/pages/vcc-config.js'), 'utf8')
    .replace("title: 'We use cookies'", `title: ${JSON.stringify(sameText.title)}`)
    .replace(/description: 'We use necessary cookies[^']*'/, `description: ${JSON.stringify(sameText.html)}`);
  response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(code);
};

// ---------------------------------------------------------------------------------- a. size
async function sizeSection() {
  log('size: gzip -9 / brotli 11 of what a script-tag user downloads');
  const anchors = Object.fromEntries(anchorSizes(root).map((anchor) => [anchor.id, anchor]));
  const ours = SCRIPT_TAG.total;
  const built = SCRIPT_TAG.jsBuilt;
  const cell = (value) => (built ? fmtInt(value) : na(`${SCRIPT_TAG_JS} not built`));
  row('Script tag, JS + CSS: gzip -9 (B)', cell(ours.gzip), fmtInt(anchors.vcc.total.gzip), fmtInt(anchors.orejime.total.gzip),
    ratio(built ? ours.gzip : NaN, anchors.vcc.total.gzip), ratio(built ? ours.gzip : NaN, anchors.orejime.total.gzip), `≤ 15,500 (aim 14,000) ${built ? (ours.gzip <= 15_500 ? '✓' : '✗') : ''}`);
  row('Script tag, JS + CSS: brotli 11 (B)', cell(ours.brotli), fmtInt(anchors.vcc.total.brotli), fmtInt(anchors.orejime.total.brotli),
    ratio(built ? ours.brotli : NaN, anchors.vcc.total.brotli), ratio(built ? ours.brotli : NaN, anchors.orejime.total.brotli));
  row('Script tag, JS + CSS: raw (B)', cell(ours.raw), fmtInt(anchors.vcc.total.raw), fmtInt(anchors.orejime.total.raw),
    ratio(built ? ours.raw : NaN, anchors.vcc.total.raw), ratio(built ? ours.raw : NaN, anchors.orejime.total.raw));

  const headless = await headlessBundle(root).catch((error) => ({ error: errorText(error) }));
  const vccCore = measureFile(join(root, 'node_modules/vanilla-cookieconsent'), 'dist/core/cookieconsent-core.umd.js');
  const headlessCell = headless.missing ? na(`${headless.missing} not built`) : headless.error ? na(headless.error) : fmtInt(headless.gzip);
  row('Headless ESM, bundled + minified, loaded before `ready`: gzip -9 (B)', headlessCell, `${fmtInt(vccCore.gzip)} (core UMD)`, '— (none)', ratio(headless.gzip, vccCore.gzip), '', `≤ 5,000 ${Number.isFinite(headless.gzip) ? (headless.gzip <= 5_000 ? '✓' : '✗') : ''}`);
  if (headless.lazy) {
    row('Headless ESM, lazy chunks (loaded after `ready` or on demand): gzip -9 (B)', `${fmtInt(headless.lazyTotal.gzip)} (${headless.lazy.map((file) => `${file.name} ${fmtInt(file.gzip)}`).join(' + ')})`, '', '', '', '', '');
  }
  const verifier = await esmBundle(root, 'dist/verify.js', '*', 'node').catch((error) => ({ error: errorText(error) }));
  row('Verifier (Node), bundled + minified: gzip -9 (B)', verifier.missing ? na(`${verifier.missing} not built`) : verifier.error ? na(verifier.error) : fmtInt(verifier.gzip), '— (none)', '— (none)');

  const policy = measureFile(root, POLICY);
  const lines = [
    '### a. Size',
    '',
    'Every file compressed on its own with node:zlib (gzip level 9; brotli quality 11, text mode, size hint), as a browser downloads it; a page\'s total is the sum of its files. The anchors are measured from their published files in node_modules in the same run.',
    '',
    '| library | file | raw B | gzip -9 B | brotli 11 B |',
    '|---|---|---:|---:|---:|',
    ...SCRIPT_TAG.files.map((file) => `| inapp-consent | ${file.path} | ${file.missing ? na('not built') : `${fmtInt(file.raw)} | ${fmtInt(file.gzip)} | ${fmtInt(file.brotli)}`} |`),
    ...['vcc', 'orejime'].flatMap((id) => anchors[id].files.map((file) => `| ${anchors[id].name} ${anchors[id].version} | ${file.path} | ${fmtInt(file.raw)} | ${fmtInt(file.gzip)} | ${fmtInt(file.brotli)} |`)),
    ...(headless.files ?? []).map((file) => `| inapp-consent headless, before \`ready\` | esbuild ${headless.esbuildVersion ?? ''} --splitting bundle of \`createConsent\` from dist/headless.js: ${file.path.replace(/^.*\//, '')} | ${fmtInt(file.raw)} | ${fmtInt(file.gzip)} | ${fmtInt(file.brotli)} |`),
    ...(headless.lazy ?? []).map((file) => `| inapp-consent headless, lazy: ${file.name} | the same bundle's \`import()\` chunk | ${fmtInt(file.raw)} | ${fmtInt(file.gzip)} | ${fmtInt(file.brotli)} |`),
    `| inapp-consent verifier | esbuild bundle of dist/verify.js (node:* external) | ${fmtInt(verifier.raw)} | ${fmtInt(verifier.gzip)} | ${fmtInt(verifier.brotli)} |`,
    `| vanilla-cookieconsent core | dist/core/cookieconsent-core.umd.js (no GUI) | ${fmtInt(vccCore.raw)} | ${fmtInt(vccCore.gzip)} | ${fmtInt(vccCore.brotli)} |`,
    '',
    `CSS of the script tag: ${SCRIPT_TAG.cssInlined ? 'inlined in the JS (the widget adopts it in its shadow root), so the JS row is everything' : SCRIPT_TAG.files.length > 1 ? 'a separate stylesheet, counted above' : 'no stylesheet shipped and none found inlined in the JS'}.` +
      (SCRIPT_TAG.optionalThemes.length ? ` Optional theme files, not needed by the script tag: ${SCRIPT_TAG.optionalThemes.map((file) => `${file.path} ${fmtInt(file.gzip)} B gzip`).join(', ')}.` : '') +
      (SCRIPT_TAG.cssNamedInJs.length ? ` **Check:** the JS names ${SCRIPT_TAG.cssNamedInJs.map((path) => `\`${path}\``).join(', ')}; if a page must load it, add it to SCRIPT_TAG_CSS in bench/lib/sizes.mjs.` : ''),
    `Not counted: the policy document the drop-in fetches (${POLICY}: ${fmtInt(policy.raw)} B raw, ${fmtInt(policy.gzip)} B gzip), which is the app's data, as the anchors' inline configuration is theirs.`,
    headless.inputs ? `Headless bundle inputs: ${headless.inputs.length} files (${[...new Set(headless.inputs.map((input) => input.replace(/^(node_modules\/(@[^/]+\/)?[^/]+|dist\/chunks|dist)\/.*$/, '$1')))].join(', ')}).` : '',
  ];
  // What costs the bytes, whenever a budget is missed (or always, for the script tag, as a reference).
  const breakdown = [];
  for (const [name, entry, format, gzip, budget] of [
    ['script tag (src/embed.ts, everything bundled)', 'src/embed.ts', 'iife', ours.gzip, 15_500],
    ['headless (src/headless.ts, dependencies bundled, what loads before `ready`)', 'src/headless.ts', 'esm', headless.gzip, 5_000],
  ]) {
    if (!(gzip > budget) && !(name.startsWith('script') && built)) continue;
    try {
      breakdown.push('', `### What costs the bytes now: ${name}${gzip > budget ? ` — over budget by ${fmtInt(gzip - budget)} B` : ''}`, '', breakdownMarkdown(await sourceBreakdown(root, entry, { format }), { topModules: 20 }));
    } catch (error) {
      breakdown.push('', `### What costs the bytes now: ${name}`, '', `(breakdown unavailable: ${errorText(error)})`);
    }
  }
  if (ours.gzip > 15_500 || headless.gzip > 5_000) {
    try {
      breakdown.push('', '### What would get it under budget (bench/whatif.mjs: each change measured, not apportioned; its headless column bundles everything, lazy chunks included)', '', whatIfMarkdown(await whatIf()));
    } catch (error) {
      breakdown.push('', `(what-if unavailable: ${errorText(error)})`);
    }
  }
  const steps = join(root, 'bench/size-steps.md');
  if (existsSync(steps)) bytes.push(readFileSync(steps, 'utf8').trim());
  bytes.push(...breakdown);
  details.push(lines.filter((line) => line !== undefined).join('\n'));
}

// ---------------------------------------------------------------------------------- b. time to dialog
const LIBS = {
  ours: { first: '/bench/pages/ours-first.html', ret: '/bench/pages/ours-return.html', selector: '[role="dialog"]' },
  // The same drop-in and policy, the policy inline in the page (data-policy="#policy"): no request.
  oursInline: { first: '/bench/pages/ours-first-inline.html', selector: '[role="dialog"]' },
  // vanilla-cookieconsent's same box modal, given the title and the body text our dialog shows
  // (taken from our warm-up trial): how much of the gap is the text the dialog must lay out.
  vccSame: { first: '/bench/pages/vcc-first-same-text.html', selector: '#cc-main .cm' },
  vcc: { first: '/bench/pages/vcc-first.html', ret: '/bench/pages/vcc-return.html', selector: '#cc-main .cm' },
  orejime: { first: '/bench/pages/orejime-first.html', ret: '/bench/pages/orejime-return.html', selector: '.orejime-Banner' },
  blank: { ret: '/bench/pages/blank.html', selector: '[role="dialog"]' },
};

async function dialogTrial(browser, server, id) {
  const context = await phoneContext(browser);
  try {
    const { page } = await throttledPage(context, SLOWDOWN);
    await page.addInitScript({ content: dialogProbe(LIBS[id].selector) });
    await page.goto(server.url + LIBS[id].first, { waitUntil: 'commit' });
    const at = await awaitInPage(page, 'window.__bench && window.__bench.dialog', DIALOG_TIMEOUT_MS);
    const info = await page
      .evaluate(() => ({
        errors: window.__bench?.errors ?? [],
        inShadow: window.__bench?.dialogInShadow,
        label: window.__bench?.dialogLabel,
        global: typeof window.InAppConsent,
        started: typeof window.InAppConsent === 'object' ? Boolean(window.InAppConsent.instance) : false,
        hasAutoStart: typeof window.InAppConsent === 'object' && 'ready' in window.InAppConsent,
        // When each download finished (ms since navigation start): where the time before the dialog goes.
        resources: performance.getEntriesByType('resource').map((entry) => [new URL(entry.name).pathname, entry.responseEnd]),
        domContentLoaded: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd,
        // Our dialog's title and body (the text vanilla-cookieconsent is given in the same-text page).
        text: (() => {
          const dialog = document.querySelector('inapp-consent')?.shadowRoot?.querySelector('[role="dialog"]');
          return dialog ? { title: dialog.querySelector('h2')?.textContent ?? '', html: dialog.querySelector('.body')?.innerHTML ?? '', chars: dialog.textContent.length } : undefined;
        })(),
      }))
      .catch((error) => ({ errors: [errorText(error)] }));
    return { ms: typeof at === 'number' ? at : NaN, ...info };
  } finally {
    await context.close();
  }
}

function whyNoDialog(trial) {
  if (!existsSync(join(root, SCRIPT_TAG_JS))) return `${SCRIPT_TAG_JS} not built`;
  const errors = trial.errors?.length ? ` (page errors: ${trial.errors.slice(0, 2).join('; ').slice(0, 200)})` : '';
  if (trial.global !== 'object') return `the IIFE defined no \`InAppConsent\` global${errors}`;
  if (!trial.hasAutoStart && !trial.started) return `the drop-in does not start from \`data-policy\` in this build (no \`InAppConsent.ready\`/\`instance\`)${errors}`;
  if (!trial.started) return `the drop-in did not start an instance${errors}`;
  return `no visible [role=dialog] in the document or an open shadow root within ${DIALOG_TIMEOUT_MS / 1000} s${errors}`;
}

async function dialogSection(browser, server) {
  const results = { ours: [], oursInline: [], vcc: [], vccSame: [], orejime: [] };
  const failures = {};
  let ids = ['ours', 'oursInline', 'vcc', 'vccSame', 'orejime'];
  log(`time to dialog: warm-up round, then ${DIALOG_RUNS} interleaved rounds at ${SLOWDOWN}× CPU slowdown`);
  for (const id of ids) {
    const trial = await dialogTrial(browser, server, id); // warm-up, discarded; tells whether it works at all
    if (id === 'ours' && trial.text) Object.assign(sameText, trial.text);
    if (id === 'vccSame' && !sameText.html) failures[id] = 'our dialog\'s text was not captured';
    if (!Number.isFinite(trial.ms)) failures[id] = id.startsWith('ours') ? whyNoDialog(trial) : `no dialog within ${DIALOG_TIMEOUT_MS / 1000} s (${(trial.errors ?? []).join('; ').slice(0, 200)})`;
  }
  ids = ids.filter((id) => !failures[id]);
  const hitsBefore = endpointHits.count;
  const timeline = { ours: [], oursInline: [], vcc: [], vccSame: [], orejime: [] };
  for (let round = 0; round < DIALOG_RUNS; round += 1) {
    for (const id of rotate(ids, round)) {
      const trial = await dialogTrial(browser, server, id);
      results[id].push(trial.ms);
      timeline[id].push(trial);
    }
  }
  const milestones = (id) => {
    const trials = timeline[id];
    if (trials.length === 0) return '—';
    const paths = [...new Set(trials.flatMap((trial) => (trial.resources ?? []).map(([path]) => path)))];
    const parts = paths.map((path) => `${path.split('/').pop()} loaded ${median(trials.map((trial) => (trial.resources ?? []).find(([name]) => name === path)?.[1])).toFixed(0)}`);
    parts.push(`DOMContentLoaded ${median(trials.map((trial) => trial.domContentLoaded)).toFixed(0)}`, `dialog ${median(trials.map((trial) => trial.ms)).toFixed(0)}`);
    return `${NAMES[id]}: ${parts.join(', ')}`;
  };
  const m = Object.fromEntries(Object.entries(results).map(([id, values]) => [id, median(values)]));
  const cell = (id) => (failures[id] ? na(failures[id]) : summary(results[id]));
  row(`Time to dialog, ${SLOWDOWN}× CPU, 360×640 (ms, median)`, cell('ours'), cell('vcc'), cell('orejime'), ratio(m.ours, m.vcc), ratio(m.ours, m.orejime),
    `≤ vanilla-cookieconsent ${Number.isFinite(m.ours) && Number.isFinite(m.vcc) ? (m.ours <= m.vcc ? '✓' : '✗') : ''}`);
  row(`Time to dialog, ${SLOWDOWN}× CPU, the policy in the page (\`data-policy="#policy"\`: no request) (ms, median)`, cell('oursInline'), '', '', ratio(m.oursInline, m.vcc), ratio(m.oursInline, m.orejime),
    `(same budget) ${Number.isFinite(m.oursInline) && Number.isFinite(m.vcc) ? (m.oursInline <= m.vcc ? '✓' : '✗') : ''}`);
  row(`Time to dialog, ${SLOWDOWN}× CPU, vanilla-cookieconsent given our dialog's title and text (${fmtInt(sameText.html.replace(/<[^>]*>/g, '').length)} characters) (ms, median)`, cell('ours'), cell('vccSame'), '', ratio(m.ours, m.vccSame), '', '(for reference)');
  details.push([
    '### b. Time to dialog',
    '',
    `Headless Chromium (${CHROMIUM_PATH}), a fresh browser context per trial (nothing stored, cold cache), viewport 360×640 at DPR 2 (mobile, touch), CPU slowed ${SLOWDOWN}× with CDP \`Emulation.setCPUThrottlingRate\` before navigation; pages served from 127.0.0.1. ` +
      'A probe injected before any page script (`Page.addScriptToEvaluateOnNewDocument`) records every open shadow root as it is attached and, on every animation frame, looks for the dialog in the document and in every open shadow root; ' +
      'the time is `performance.now()` (ms since navigation start) in the first frame where the dialog has a non-empty box and is not hidden (display, visibility, content-visibility; opacity ignored, so a fade-in counts from its first frame). ' +
      `Dialogs: inapp-consent \`${LIBS.ours.selector}\` (in the widget's open shadow root), the drop-in of DESIGN.md with ${POLICY} (it fetches the policy, then restores state, then shows the dialog), and the same drop-in with the same policy inline in the page (bench/pages/ours-first-inline.html, \`data-policy="#policy"\`); vanilla-cookieconsent \`${LIBS.vcc.selector}\` (box modal, two categories, \`hideFromBots: false\`), and the same modal given our dialog's title and its body's HTML as its title and description (taken from our warm-up trial, page lang zh-CN; its own buttons); Orejime \`${LIBS.orejime.selector}\` (standard-en, one purpose, its first layer). ` +
      `One warm-up round (discarded), then ${DIALOG_RUNS} rounds, the five pages taking turns in an order that rotates each round. Median with the interquartile range.`,
    '',
    `Raw (ms): ${Object.entries(results).map(([id, values]) => `${NAMES[id]}: ${values.map((value) => (Number.isFinite(value) ? value.toFixed(0) : '–')).join(', ') || '—'}`).join('; ')}.`,
    `Where the time goes (ms since navigation start, medians; resource timing \`responseEnd\`): ${['ours', 'oursInline', 'vcc', 'vccSame', 'orejime'].map(milestones).join('; ')}.`,
    `Dialogs found (accessible name, in a shadow root?): ${['ours', 'oursInline', 'vcc', 'vccSame', 'orejime'].filter((id) => timeline[id].length).map((id) => `${NAMES[id]}: ${[...new Set(timeline[id].map((trial) => `"${trial.label ?? ''}"${trial.inShadow ? ' (shadow)' : ''}`))].join(' / ')}`).join('; ')}.`,
    `Requests to the receipts endpoint during these first launches (must be 0, FL-01): ${endpointHits.count - hitsBefore}.`,
  ].join('\n'));
}

// ---------------------------------------------------------------------------------- c. returning user
const DONE = {
  ours: 'window.__bench && window.__bench.done',
  vcc: 'window.__benchRun && window.__benchRun.then(() => ({ ok: true }))',
  orejime: 'window.orejime ? { ok: true } : undefined',
  blank: "document.readyState === 'complete' ? { ok: true } : undefined",
};
const STORE = {
  ours: 'window.__consent.agree().then(() => ({ needsConsent: window.__consent.needsConsent }))',
  vcc: "(CookieConsent.acceptCategory('all'), { ok: CookieConsent.validConsent() })",
  orejime: "(window.orejime.manager.acceptAll(), { ok: document.cookie !== '' })",
  blank: '({ ok: true })',
};

/**
 * One returning launch. Traced (the main-thread CPU time row) unless `traced` is false: tracing
 * slows the page itself (`ready` by ~4 ms at 1× in a scratch A/B of 12 pairs), so the `ready`
 * rows come from untraced launches of their own.
 */
async function returnTrial(browser, context, server, id, rate, traced = true) {
  const { page, cdp } = await throttledPage(context, rate);
  let tracing = false;
  try {
    await page.addInitScript({ content: dialogProbe(LIBS[id].selector, { watch: false }) });
    if (!traced) {
      await page.goto(server.url + LIBS[id].ret, { waitUntil: 'load' });
      const done = await awaitInPage(page, DONE[id], 15_000);
      await sleep(SETTLE_MS);
      return { done, shown: await page.evaluate(() => window.__bench.visibleDialog()).catch(() => null) };
    }
    await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    tracing = true;
    await page.goto(server.url + LIBS[id].ret, { waitUntil: 'load' });
    const done = await awaitInPage(page, DONE[id], 15_000);
    await sleep(SETTLE_MS);
    const m = await metrics(cdp);
    const shown = await page.evaluate(() => window.__bench.visibleDialog()).catch(() => null);
    const trace = mainThreadTime(await browser.stopTracing(), LIBS[id].ret);
    tracing = false;
    return { done, cpu: trace.cpu, wall: trace.wall, task: m.TaskDuration * 1000, script: m.ScriptDuration * 1000, shown };
  } finally {
    if (tracing) await browser.stopTracing().catch(() => undefined);
    await page.close();
  }
}

async function returnSection(browser, server) {
  log(`returning user: store a decision, then ${RETURN_RUNS} interleaved rounds at 1× and ${SLOWDOWN}×`);
  const contexts = {};
  const failures = {};
  for (const id of ['blank', 'ours', 'vcc', 'orejime']) {
    contexts[id] = await phoneContext(browser);
    const first = await returnTrial(browser, contexts[id], server, id, 1).catch((error) => ({ done: { error: errorText(error) } }));
    if (!first.done || first.done.error) {
      failures[id] = id === 'ours' && !existsSync(join(root, SCRIPT_TAG_JS)) ? `${SCRIPT_TAG_JS} not built` : `the page did not start: ${errorText(first.done?.error ?? 'timed out')}`;
      continue;
    }
    const page = await contexts[id].newPage();
    await page.goto(server.url + LIBS[id].ret, { waitUntil: 'load' });
    await awaitInPage(page, DONE[id], 15_000);
    const stored = await page.evaluate(STORE[id]).catch((error) => ({ error: errorText(error) }));
    await page.close();
    if (stored?.error || stored?.needsConsent === true || stored?.ok === false) failures[id] = `storing a decision failed: ${JSON.stringify(stored).slice(0, 200)}`;
  }
  const ids = ['blank', 'ours', 'vcc', 'orejime'].filter((id) => !failures[id]);
  const results = {};
  // inapp-consent's `ready`, from untraced launches taking turns with the traced ones.
  const readyTrials = { 1: [], [SLOWDOWN]: [] };
  for (const rate of [1, SLOWDOWN]) {
    results[rate] = Object.fromEntries(ids.map((id) => [id, []]));
    for (let round = 0; round < RETURN_RUNS; round += 1) {
      for (const id of rotate(ids, round)) {
        results[rate][id].push(await returnTrial(browser, contexts[id], server, id, rate));
        if (id === 'ours') readyTrials[rate].push(await returnTrial(browser, contexts[id], server, id, rate, false));
      }
    }
  }
  for (const context of Object.values(contexts)) await context.close();

  const invalid = [];
  for (const rate of [1, SLOWDOWN]) {
    const ours = [...(results[rate].ours ?? []), ...readyTrials[rate]];
    const ready = readyTrials[rate].filter((trial) => trial.done && !trial.done.error && trial.done.needsConsent === false).map((trial) => trial.done.createToReady);
    if (ours.some((trial) => trial.done?.needsConsent !== false)) invalid.push(`${ours.filter((trial) => trial.done?.needsConsent !== false).length} inapp-consent trials at ${rate}× did not restore the stored decision`);
    for (const id of ids) if (results[rate][id].some((trial) => trial.shown !== false)) invalid.push(`${NAMES[id] ?? id} showed a dialog on a returning launch at ${rate}×`);
    const readyCell = failures.ours ? na(failures.ours) : summary(ready, 'ms', 1);
    row(`Returning user: \`createConsent\` → \`ready\`, ${rate}× CPU (ms)`, readyCell, '', '', '', '', rate === 1 ? `≤ 20 ${Number.isFinite(median(ready)) ? (median(ready) <= 20 ? '✓' : '✗') : ''}` : '');
  }
  // Main-thread time the library adds to a launch that shows nothing: paired with the blank page of the same round.
  const added = (rate, id, field) => {
    const mine = results[rate][id] ?? [];
    const blank = results[rate].blank ?? [];
    return mine.map((trial, index) => trial[field] - (blank[index]?.[field] ?? NaN));
  };
  // Only the unthrottled CPU time goes in the table: under CDP throttling the renderer's thread
  // time swings by ±100 ms between identical blank pages (see the raw figures in the details).
  {
    const m = Object.fromEntries(['ours', 'vcc', 'orejime'].map((id) => [id, median(added(1, id, 'cpu'))]));
    const cell = (id) => (failures[id] ? na(failures[id]) : failures.blank ? na('control page failed') : summary(added(1, id, 'cpu')));
    row('Launch that shows nothing: main-thread CPU time added, 1× CPU (ms)', cell('ours'), cell('vcc'), cell('orejime'), ratio(m.ours, m.vcc), ratio(m.ours, m.orejime));
  }
  const raw = (rate, id, field) => (results[rate][id] ?? []).map((trial) => trial[field].toFixed(0)).join(', ');
  const addedLine = (rate, field) => ['ours', 'vcc', 'orejime'].filter((id) => results[rate][id]).map((id) => `${NAMES[id]} ${median(added(rate, id, field)).toFixed(0)}`).join(', ');
  details.push([
    '### c. Returning user',
    '',
    'Each library gets one browser context that keeps its storage; a decision is stored once (inapp-consent: `agree()` through the API, then `needsConsent` must be false; vanilla-cookieconsent: `acceptCategory("all")`; Orejime: `manager.acceptAll()`), then every trial opens a new page in that context and loads the same library again, which must show nothing (checked with the dialog probe).',
    `- **ready**: the page fetches ${POLICY}, then brackets \`InAppConsent.create({ policy, endpoint })\` … \`await consent.ready\` with \`performance.now()\` (bench/pages/ours-return.js): the SDK restoring stored state from IndexedDB, not the network. Timed in launches of their own without tracing (tracing slows the page), one after each traced launch of inapp-consent. Trials whose \`needsConsent\` was not false after \`ready\` are not counted.`,
    `- **main-thread CPU time added**: a Chromium trace (categories ${TRACE_CATEGORIES.join(', ')}) of each load; on the renderer main thread that parsed the page, the top-level tasks (\`ThreadControllerImpl::RunTask\`, nested ones dropped) from navigation until ${SETTLE_MS} ms after the library is ready (inapp-consent: \`ready\` resolved; vanilla-cookieconsent: \`run()\` resolved; Orejime: \`window.orejime\` set); their thread time (\`tdur\`: CPU the thread actually used, so other processes descheduling the renderer on a busy machine do not count). Minus the same for a control page without any consent library (bench/pages/blank.html) loaded in the same round: the median of the paired differences. It covers downloading, parsing, compiling and running the script, style and layout and, for inapp-consent, fetching and parsing the policy and reading IndexedDB.`,
    `Rounds: ${RETURN_RUNS} at 1× then ${RETURN_RUNS} at ${SLOWDOWN}×, the four pages taking turns in a rotating order.`,
    '',
    `Raw main-thread CPU time (ms), 1×: ${ids.map((id) => `${NAMES[id] ?? 'blank'}: ${raw(1, id, 'cpu')}`).join('; ')}. ${SLOWDOWN}×: ${ids.map((id) => `${NAMES[id] ?? 'blank'}: ${raw(SLOWDOWN, id, 'cpu')}`).join('; ')}.`,
    `At ${SLOWDOWN}× the same CPU-time difference is (median, ms): ${addedLine(SLOWDOWN, 'cpu')} — not in the table, because under CDP throttling the thread time of identical blank pages varies by ±100 ms.`,
    `For comparison, wall-clock figures (medians of the paired differences, ms): top-level task durations from the same trace — 1×: ${addedLine(1, 'wall')}; ${SLOWDOWN}×: ${addedLine(SLOWDOWN, 'wall')}; CDP \`Performance.getMetrics\` TaskDuration — 1×: ${addedLine(1, 'task')}; ${SLOWDOWN}×: ${addedLine(SLOWDOWN, 'task')}; ScriptDuration — 1×: ${addedLine(1, 'script')}; ${SLOWDOWN}×: ${addedLine(SLOWDOWN, 'script')}. Wall-clock time includes the renderer waiting for the CPU, which on this shared machine is noise.`,
    ...(readyTrials[1].length ? [
      `inapp-consent, of \`createConsent\` → \`ready\`, the synchronous \`createConsent()\` call itself (options, policy validation and preparation; the reads and the hashing then run while it returns) takes (ms, median, untraced): 1× ${median(readyTrials[1].map((trial) => trial.done?.createSync)).toFixed(1)}, ${SLOWDOWN}× ${median(readyTrials[SLOWDOWN].map((trial) => trial.done?.createSync)).toFixed(1)}.`,
      `inapp-consent navigation → ready (ms, median, untraced): 1× ${median(readyTrials[1].map((trial) => trial.done?.navToReady)).toFixed(0)}, ${SLOWDOWN}× ${median(readyTrials[SLOWDOWN].map((trial) => trial.done?.navToReady)).toFixed(0)}; in the traced launches \`ready\` took 1× ${median(results[1].ours.map((trial) => trial.done?.createToReady)).toFixed(1)} and ${SLOWDOWN}× ${median(results[SLOWDOWN].ours.map((trial) => trial.done?.createToReady)).toFixed(1)} ms.`,
    ] : []),
    ...invalid.map((line) => `**Check:** ${line}.`),
  ].join('\n'));
}

// ---------------------------------------------------------------------------------- d. receipts
async function labPage(browser, rate) {
  const context = await phoneContext(browser);
  const { page, cdp } = await throttledPage(context, rate);
  return { context, page, cdp };
}

async function openLab(server, page) {
  await page.goto(`${server.url}/bench/pages/ours-lab.html`, { waitUntil: 'load' });
  return awaitInPage(page, 'window.__bench && window.__bench.loaded', 15_000);
}

/** Decision → its receipt signed and stored, per action, in one page. */
function receiptLatencyScript({ storage, toggles }) {
  return `(async () => {
    const consent = InAppConsent.create({ policy: window.__policy, storage: ${JSON.stringify(storage)} });
    await consent.ready;
    const optional = window.__policy.purposes.find((purpose) => purpose.consentMode === 'optional_toggle').id;
    let stored;
    consent.on('receipt', (entry) => stored && stored(entry));
    const errors = [];
    consent.on('error', (error) => errors.push(error.code + ': ' + error.message));
    const time = async (action) => {
      const t0 = performance.now();
      const receipt = new Promise((resolve) => (stored = resolve));
      const settled = action();
      const entry = await Promise.race([receipt, new Promise((resolve) => setTimeout(() => resolve(undefined), 5000))]);
      const t1 = performance.now();
      await settled;
      return { receipt: entry ? t1 - t0 : NaN, action: performance.now() - t0, signer: entry && JSON.parse(atob(entry.jws.split('.')[0].replace(/-/g, '+').replace(/_/g, '/'))).alg };
    };
    const first = await time(() => consent.agree());
    const next = [];
    for (let index = 0; index < ${toggles}; index += 1) next.push(await time(() => consent.setPurpose(optional, index % 2 === 0)));
    const pending = typeof consent.pendingReceipts === 'function' ? await consent.pendingReceipts() : [];
    consent.destroy();
    return { first, next, jws: pending.map((entry) => entry.jws), errors: errors.slice(0, 3) };
  })()`;
}

async function receiptsSection(browser, server) {
  log('receipts: decision → receipt stored, in Chromium');
  const supported = await (async () => {
    if (!existsSync(join(root, SCRIPT_TAG_JS))) return `${SCRIPT_TAG_JS} not built`;
    const { context, page } = await labPage(browser, 1);
    try {
      const loaded = await openLab(server, page);
      if (loaded?.error) return `the lab page failed: ${loaded.error}`;
      const has = await page.evaluate(() => {
        const consent = InAppConsent.create({ policy: window.__policy, storage: 'memory' });
        const api = ['flush', 'pendingReceipts'].filter((name) => typeof consent[name] === 'function');
        consent.destroy();
        return api;
      });
      return has.length === 2 ? true : 'the instance has no `flush`/`pendingReceipts` (receipts not wired into createConsent in this build)';
    } catch (error) {
      return `the lab page failed: ${errorText(error)}`;
    } finally {
      await context.close();
    }
  })();
  if (supported !== true) {
    row('Receipt: decision → signed + stored (IndexedDB), 1× CPU (ms)', na(supported), '— (no receipts)', '— (no receipts)', '', '', '≤ 5');
    row('verifyReceipt, Node (receipts/s)', na(supported), '—', '—');
    row(`Outbox: ${fmtInt(OUTBOX_SIZE)} receipts flushed to the reference receiver`, na(supported), '—', '—');
    details.push(`### d. Receipts\n\nNot measured: ${supported}.`);
    return;
  }
  const latency = {};
  let sample = [];
  for (const [label, storage, rate] of [['indexeddb-1', 'indexeddb', 1], ['indexeddb-4', 'indexeddb', SLOWDOWN], ['memory-1', 'memory', 1]]) {
    const { context, page } = await labPage(browser, rate);
    try {
      await openLab(server, page);
      latency[label] = await page.evaluate(receiptLatencyScript({ storage, toggles: RECEIPT_TOGGLES }));
      if (label === 'indexeddb-1') sample = latency[label].jws;
    } catch (error) {
      latency[label] = { error: errorText(error) };
    } finally {
      await context.close();
    }
  }
  const steady = (label) => (latency[label]?.next ?? []).map((trial) => trial.receipt);
  const cell = (label) => (latency[label]?.error ? na(latency[label].error) : summary(steady(label), 'ms', 1));
  const m1 = median(steady('indexeddb-1'));
  row('Receipt: decision → signed + stored (IndexedDB), 1× CPU (ms)', cell('indexeddb-1'), '— (no receipts)', '— (no receipts)', '', '', `≤ 5 ${Number.isFinite(m1) ? (m1 <= 5 ? '✓' : '✗') : ''}`);
  row(`Receipt: decision → signed + stored (IndexedDB), ${SLOWDOWN}× CPU (ms)`, cell(`indexeddb-${SLOWDOWN}`), '—', '—');

  // verifyReceipt throughput in Node, over the receipts just made.
  log('receipts: verifyReceipt throughput in Node');
  let verify = { error: 'no receipts were captured in Chromium' };
  if (sample.length > 0) {
    const dir = await mkdtemp(join(os.tmpdir(), 'inapp-consent-bench-'));
    const file = join(dir, 'receipts.json');
    await writeFile(file, JSON.stringify(sample));
    const built = existsSync(join(root, 'dist/verify.js'));
    const tsx = tsxCli(root);
    const command = built ? [join(root, 'bench/node/verify.mjs'), file, '5'] : tsx && existsSync(join(root, 'src/verify/index.ts')) ? [tsx, join(root, 'bench/node/verify.mjs'), file, '5', '--src'] : undefined;
    if (!command) verify = { error: 'dist/verify.js not built and no src/verify' };
    else {
      const result = spawnSync(process.execPath, command, { cwd: root, encoding: 'utf8', timeout: 120_000 });
      try {
        verify = JSON.parse(result.stdout.trim().split('\n').at(-1));
      } catch {
        verify = { error: `verify.mjs failed: ${(result.stderr || result.stdout).trim().split('\n')[0]}` };
      }
    }
    await rm(dir, { recursive: true, force: true });
  }
  row('verifyReceipt, Node (receipts/s)', verify.error ? na(verify.error) : `${summary(verify.perSecond, '/s')}${verify.source.startsWith('src') ? ' (from src: dist/verify.js not built)' : ''}`, '—', '—');

  // An outbox of 1,000 receipts flushed to the reference receiver.
  log(`receipts: ${OUTBOX_SIZE} receipts, then one flush to the reference receiver`);
  const outbox = await outboxRun(browser, server).catch((error) => ({ error: errorText(error) }));
  const outboxCell = outbox.error
    ? na(outbox.error)
    : outbox.finished
      ? `${fmtInt(outbox.flushMs)} ms, ${outbox.batches} batches, ${outbox.lost} lost, ${outbox.duplicated} duplicated`
      : `not done in ${OUTBOX_CAP_MS / 1000} s: ${fmtInt(outbox.acceptedAtEnd)} of ${fmtInt(OUTBOX_SIZE)} accepted (${(outbox.acceptedAtEnd / (outbox.flushMs / 1000)).toFixed(1)}/s) in ${outbox.batches} batches, ${outbox.duplicated} duplicated`;
  row(`Outbox: ${fmtInt(OUTBOX_SIZE)} receipts flushed to the reference receiver`, outboxCell, '—', '—');

  const first = latency['indexeddb-1']?.first;
  details.push([
    '### d. Receipts',
    '',
    `- **decision → signed + stored**: in Chromium (fresh context), \`InAppConsent.create({ policy })\` without an endpoint (no network), then \`agree()\` and ${RECEIPT_TOGGLES} switches of an optional purpose, one at a time; each is timed from the action call to the instance's \`receipt\` event (emitted once the signed receipt and its outbox entry are written, before any send). It includes the reducer and the write of the decisions record, so it is an upper bound of sign + persist. The first decision also creates and stores the device key and is reported apart. Median of the switches.`,
    `  - first receipt (key generation + storage included), 1×: ${first ? `${first.receipt.toFixed(1)} ms (signer alg ${first.signer ?? '?'})` : 'n/a'}; action settled: ${first ? `${first.action.toFixed(1)} ms` : 'n/a'}.`,
    `  - same with \`storage: 'memory'\` (session key and receipt log in memory: signing without IndexedDB), 1×: ${summary(steady('memory-1'), 'ms', 1)}.`,
    `  - whole action (until its promise settles), IndexedDB, 1×: ${summary((latency['indexeddb-1']?.next ?? []).map((trial) => trial.action), 'ms', 1)}.`,
    `  - receipt size with ${POLICY}: ${sample.length ? `${fmtInt(median(sample.map((jws) => jws.length)))} B of compact JWS (median of ${sample.length})` : 'n/a'}.`,
    ...(latency['indexeddb-1']?.errors?.length ? [`  - error events: ${latency['indexeddb-1'].errors.join('; ')}`] : []),
    `- **verifyReceipt**: ${verify.error ? na(verify.error) : `Node ${process.version}, ${verify.source}, the ${verify.receipts} receipts made above verified one after another in rounds of ≥ 300 ms (one warm-up round), median of 5 rounds${verify.chain ? `; \`verifyChain\` over them: ${verify.chain.ms.toFixed(1)} ms, valid ${verify.chain.valid}` : ''}`}.`,
    `- **outbox**: ${outbox.error ? na(outbox.error) : `one page makes ${fmtInt(OUTBOX_SIZE)} receipts with no endpoint (\`agree()\` then ${fmtInt(OUTBOX_SIZE - 1)} switches; ${fmtInt(outbox.makeMs)} ms, all pending), destroys that instance, then creates one with the endpoint, as an app restarting with a backlog. Its start flushes on its own (no \`flush()\` call); the time runs from \`createConsent\` until the receiver has accepted all ${fmtInt(OUTBOX_SIZE)} (given up after ${OUTBOX_CAP_MS / 1000} s). A receipt here is ${fmtInt(outbox.jwsBytes)} B of compact JWS (median). The endpoint is a counting proxy on the page's origin in front of the reference receiver (\`tsx examples/receiver/server.ts\`, data in a temporary directory). Batches: ${outbox.batches} POSTs (${outbox.okPosts} answered 2xx), ${fmtInt(outbox.sent)} receipts sent, answers ${JSON.stringify(outbox.statuses)}. Receiver ledger: ${fmtInt(outbox.stored)} lines, ${fmtInt(outbox.unique)} distinct jti of the ${fmtInt(outbox.made)} made → ${outbox.finished ? `${outbox.lost} lost` : 'not finished, so loss is not judged'}, ${outbox.duplicated} duplicated; device: ${outbox.pendingAfter} still pending, ${outbox.deadAfter} dead.`}`,
  ].join('\n'));
}

async function outboxRun(browser, server) {
  const receiver = await startReceiverProcess(root);
  if (receiver.missing) return { error: `${receiver.missing} not found` };
  if (receiver.error) return { error: receiver.error };
  const { context, page } = await labPage(browser, 1);
  try {
    proxy.target = receiver.url;
    Object.assign(proxy, { posts: 0, ok: 0, statuses: {}, sent: 0, jtiSent: new Map(), accepted: new Map() });
    await openLab(server, page);
    const made = await page.evaluate(`(async () => {
      const consent = InAppConsent.create({ policy: window.__policy });
      await consent.ready;
      const optional = window.__policy.purposes.find((purpose) => purpose.consentMode === 'optional_toggle').id;
      const t0 = performance.now();
      await consent.agree();
      for (let index = 1; index < ${OUTBOX_SIZE}; index += 1) await consent.setPurpose(optional, index % 2 === 1);
      const makeMs = performance.now() - t0;
      const pending = await consent.pendingReceipts();
      consent.destroy();
      const sizes = pending.map((entry) => entry.jws.length).sort((a, b) => a - b);
      return { makeMs, jtis: pending.map((entry) => entry.jti), jwsBytes: sizes[sizes.length >> 1] };
    })()`);
    if (made.jtis.length !== OUTBOX_SIZE) return { error: `${made.jtis.length} receipts pending after ${OUTBOX_SIZE} decisions` };
    const t0 = performance.now();
    await page.evaluate(`(() => {
      window.__flusher = InAppConsent.create({ policy: window.__policy, endpoint: '/bench/proxy/receipts' });
      window.__flusher.on('error', (error) => (window.__flushErrors = window.__flushErrors || []).push(error.code));
    })()`);
    const deadline = Date.now() + OUTBOX_CAP_MS;
    while (proxy.accepted.size < OUTBOX_SIZE && Date.now() < deadline) await sleep(5);
    const finished = proxy.accepted.size >= OUTBOX_SIZE;
    const flushMs = performance.now() - t0;
    const acceptedAtEnd = proxy.accepted.size;
    await sleep(300);
    const after = await page.evaluate(`(async () => ({ pending: (await window.__flusher.pendingReceipts()).length, dead: (await window.__flusher.deadReceipts()).length, errors: window.__flushErrors || [] }))()`);
    const ledger = await receiver.ledger();
    const stored = ledger.filter((record) => record.jti);
    const unique = new Set(stored.map((record) => record.jti));
    const madeSet = new Set(made.jtis);
    return {
      finished, acceptedAtEnd, makeMs: made.makeMs, made: made.jtis.length, flushMs, jwsBytes: made.jwsBytes,
      batches: proxy.posts, okPosts: proxy.ok, sent: proxy.sent, statuses: proxy.statuses,
      stored: stored.length, unique: unique.size,
      lost: finished ? [...madeSet].filter((jti) => !unique.has(jti)).length : NaN, duplicated: stored.length - unique.size,
      pendingAfter: after.pending, deadAfter: after.dead, errors: after.errors,
    };
  } finally {
    proxy.target = undefined;
    await context.close();
    await receiver.stop();
  }
}

// ---------------------------------------------------------------------------------- e. reads and heap
async function readsSection(browser, server) {
  log('consent reads: isGranted in Node over dist/headless.js');
  let reads = { error: 'dist/headless.js not built' };
  if (existsSync(join(root, 'dist/headless.js'))) {
    const result = spawnSync(process.execPath, [join(root, 'bench/node/reads.mjs'), join(root, POLICY), '7'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    try {
      reads = JSON.parse(result.stdout.trim().split('\n').at(-1));
    } catch {
      reads = { error: `reads.mjs failed: ${(result.stderr || result.stdout).trim().split('\n').slice(-1)[0]}` };
    }
  }
  row('`isGranted`, Node, headless ESM (ops/s)', reads.error ? na(reads.error) : `${(median(reads.opsPerSecond) / 1e6).toFixed(1)} M (IQR ${(quantile(reads.opsPerSecond, 0.25) / 1e6).toFixed(1)}–${(quantile(reads.opsPerSecond, 0.75) / 1e6).toFixed(1)} M, n=${reads.opsPerSecond.length})`, '—', '—');

  log(`consent reads: JS heap added by an initialised instance (${HEAP_RUNS} pages)`);
  const heap = [];
  let heapError;
  if (!existsSync(join(root, SCRIPT_TAG_JS))) heapError = `${SCRIPT_TAG_JS} not built`;
  for (let trial = 0; trial < HEAP_RUNS && !heapError; trial += 1) {
    const { context, page, cdp } = await labPage(browser, 1);
    try {
      const loaded = await openLab(server, page);
      if (!Array.isArray(loaded)) throw new Error(`lab page: ${JSON.stringify(loaded)}`);
      await sleep(200);
      const before = await heapAfterGc(cdp);
      const ok = await page.evaluate(`(async () => { window.__consent = InAppConsent.create({ policy: window.__policy }); await window.__consent.ready; return true; })()`);
      await sleep(300);
      const after = await heapAfterGc(cdp);
      if (ok) heap.push(after - before);
    } catch (error) {
      heapError = errorText(error);
    } finally {
      await context.close();
    }
  }
  row('JS heap added by an initialised instance, Chromium (KiB)', heapError ? na(heapError) : summary(heap.map((bytes) => bytes / 1024), 'KiB'), '—', '—');
  details.push([
    '### e. Consent reads',
    '',
    `- **isGranted**: ${reads.error ? na(reads.error) : `Node ${process.version}, \`createConsent\` imported from dist/headless.js (its dependencies from node_modules), IndexedDB from fake-indexeddb, ${POLICY}, after \`agree()\`; a loop over ${reads.ids} ids (every purpose and separate consent plus an unknown one; ${reads.granted} granted), ${fmtInt(reads.callsPerRound)} calls per round after a warm-up, median of ${reads.opsPerSecond.length} rounds`}.`,
    `- **heap**: Chromium, a fresh page that has loaded the IIFE and fetched and parsed the policy (kept in a global, so not counted); CDP \`HeapProfiler.collectGarbage\` twice, \`Performance.getMetrics\` \`JSHeapUsedSize\`; then \`InAppConsent.create({ policy })\` and \`await ready\` (first launch, nothing shown), the instance kept in a global, GC again, read again. The difference, median of ${HEAP_RUNS} pages. It counts the prepared policy (indexes, hashes) and the instance's state, not the policy JSON itself.`,
  ].join('\n'));
}

// ---------------------------------------------------------------------------------- output
function table() {
  const lines = [
    `| measure | ${NAMES.ours} | ${NAMES.vcc} | ${NAMES.orejime} | ours ÷ vcc | ours ÷ Orejime | budget |`,
    '|---|---|---|---|---|---|---|',
    ...rows.map((entry) => `| ${entry.metric} | ${entry.ours} | ${entry.vcc} | ${entry.orejime} | ${entry.rVcc} | ${entry.rOrejime} | ${entry.budget} |`),
  ];
  return lines.join('\n');
}

async function main() {
  ensureBuilt();
  const source = provenance();
  const server = await startStaticServer(root, { routes });
  let browser;
  let chromium;
  const needsBrowser = ['dialog', 'return', 'receipts', 'reads'].some((name) => SECTIONS.has(name));
  try {
    if (needsBrowser) {
      try {
        browser = await launch(root);
        chromium = browser.version();
      } catch (error) {
        notes.push(`Chromium could not be launched (${errorText(error)}); set CHROMIUM_PATH. Browser measurements are n/a.`);
      }
    }
    if (SECTIONS.has('size')) await sizeSection();
    if (browser && SECTIONS.has('dialog')) await dialogSection(browser, server);
    if (browser && SECTIONS.has('return')) await returnSection(browser, server);
    if (browser && SECTIONS.has('receipts')) await receiptsSection(browser, server);
    if (SECTIONS.has('reads')) {
      if (browser) await readsSection(browser, server);
    }
  } finally {
    await browser?.close();
    await server.close();
  }
  if (iifeShim.applied) {
    notes.push(`**${SCRIPT_TAG_JS} defines no \`InAppConsent\` global** (it starts \`!function(e){…}({})\`: terser's \`module: true\` in rollup.config.mjs drops the IIFE's unused top-level \`var InAppConsent\`), which breaks the script-tag contract of DESIGN.md. For the runtime measurements the harness served it with its exports object bound to \`window.InAppConsent\` (the code is otherwise identical); sizes are of the file as built.`);
  }
  const box = machine(chromium);
  const header = [
    `Date: ${box.date}`,
    `Machine: ${box.cpu}, ${box.cores} cores, ${box.memory}; ${box.os}; load average at the start ${box.load}`,
    `Node ${box.node}; Chromium ${box.chromium} (${CHROMIUM_PATH}, headless)`,
    `Source: commit ${source.commit}${source.dirty ? ` plus ${source.dirty} changed or new files (work in progress)` : ''}; ${SCRIPT_TAG_JS} built ${source.built}`,
    `Trials: time to dialog ${DIALOG_RUNS} rounds (+1 warm-up); returning user ${RETURN_RUNS} rounds per CPU rate; heap ${HEAP_RUNS} pages; medians, IQR = interquartile range. Whole run: ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  ];
  const text = table();
  console.log(`${header.join('\n')}\n\n${text}\n`);
  for (const note of notes) console.log(`Note: ${note}`);
  if (!flags['no-write'] && !flags.quick && !flags.only) {
    const results = [
      '# Benchmarks: inapp-consent against the anchors',
      '',
      'Written by `npm run bench` (`node bench/run.mjs`); do not edit by hand. Ratios are ours ÷ theirs (below 1× is better for sizes and times, above 1× for throughput). Only the byte budget is enforced in CI (`scripts/size-budget.mjs`); timings are reported, never enforced. Machines here are noisy: compare ratios from one run rather than absolute times across runs.',
      '',
      ...header.map((line) => `- ${line}`),
      '',
      text,
      '',
      ...notes.map((note) => `Note: ${note}\n`),
      ...(bytes.length ? ['## What costs the bytes and what was tried', '', bytes.join('\n'), ''] : []),
      '## How each figure was measured',
      '',
      details.join('\n\n'),
      '',
    ].join('\n');
    writeFileSync(join(root, 'bench/RESULTS.md'), results);
    log('wrote bench/RESULTS.md');
  } else {
    log('bench/RESULTS.md not written (--quick, --only or --no-write)');
    if (process.env.BENCH_DETAILS) console.log(details.join('\n\n'));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
