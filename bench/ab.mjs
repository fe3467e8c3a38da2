#!/usr/bin/env node
// An A/B of two (or more) builds of the script tag, the way bench/size-steps.md's steps were
// measured: the same page, the builds taking turns (the order flipping each round), each launch
// in a fresh page. The figures in size-steps.md come from scripts like this one; keep it to
// check a change before `npm run bench`, which measures only the current build.
//
//   node bench/ab.mjs dialog old.js new.js [--rounds 13] [--inline] [--rate 4]
//       time to the first-launch dialog (fresh context each launch, CPU slowed --rate×), the
//       policy fetched by the drop-in, or in the page with --inline
//   node bench/ab.mjs ready old.js new.js [--rounds 12] [--rate 1]
//       a returning user: `InAppConsent.create({ policy })` → `ready`, and its synchronous part
//       (one context per build, a decision stored first; new page per launch)
//
// Build the files first, e.g. `npx rollup -c && cp dist/inapp-consent.iife.js /tmp/new.js`.
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { awaitInPage, dialogProbe, launch, phoneContext } from './lib/browser.mjs';
import { startStaticServer } from './lib/server.mjs';
import { median, quantile } from './lib/stats.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const POLICY = 'examples/policies/lakala-pay.json';
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at < 0 ? fallback : args[at + 1];
};
const [mode, ...rest] = args.filter((arg, index) => !arg.startsWith('--') && !args[index - 1]?.startsWith('--rounds') && !args[index - 1]?.startsWith('--rate'));
const files = rest.map((file) => resolve(file));
if (!['dialog', 'ready'].includes(mode) || files.length < 2) {
  console.error('usage: node bench/ab.mjs dialog|ready a.js b.js [--rounds N] [--rate R] [--inline]');
  process.exit(2);
}
const rounds = Number(flag('rounds', mode === 'dialog' ? 13 : 12));
const rate = Number(flag('rate', mode === 'dialog' ? 4 : 1));
const inline = args.includes('--inline');
const names = files.map((file, index) => `${index}:${basename(file)}`);

const head = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main><h1>示例应用</h1></main>';
const policyInPage = () => `<script type="application/json" id="policy">${readFileSync(`${root}${POLICY}`, 'utf8').replace(/</g, '\\u003c')}</script>`;
const page = (index) => mode === 'ready'
  ? `${head}<script src="/ab/${index}.js"></script><script src="/bench/pages/ours-return.js"></script></body></html>`
  : `${head}${inline ? policyInPage() : ''}<script src="/ab/${index}.js" data-policy="${inline ? '#policy' : `/${POLICY}`}" data-endpoint="/bench/receipts" defer></script></body></html>`;
const routes = { '/bench/receipts': (request, response) => response.writeHead(503).end() };
files.forEach((file, index) => {
  routes[`/ab/${index}.html`] = (request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page(index));
  routes[`/ab/${index}.js`] = (request, response) => response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(readFileSync(file));
});

const server = await startStaticServer(root, { routes });
const browser = await launch(root);
const results = files.map(() => []);
try {
  const contexts = mode === 'ready' ? await Promise.all(files.map(() => phoneContext(browser))) : [];
  if (mode === 'ready') {
    // A decision stored once per build's context: every later launch is a returning user's.
    for (const [index, context] of contexts.entries()) {
      const tab = await context.newPage();
      await tab.goto(`${server.url}/ab/${index}.html`);
      await awaitInPage(tab, 'window.__bench.done', 15_000);
      await tab.evaluate(async () => { await window.__consent.agree(); await new Promise((done) => setTimeout(done, 300)); });
      await tab.close();
    }
  }
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 ? files.map((_, index) => index) : files.map((_, index) => index).reverse();
    for (const index of order) {
      const context = mode === 'ready' ? contexts[index] : await phoneContext(browser);
      const tab = await context.newPage();
      const cdp = await context.newCDPSession(tab);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate });
      if (mode === 'dialog') await tab.addInitScript({ content: dialogProbe('[role="dialog"]') });
      await tab.goto(`${server.url}/ab/${index}.html`);
      const value = await awaitInPage(tab, mode === 'dialog' ? 'window.__bench.dialog' : 'window.__bench.done', 15_000);
      if (mode === 'ready' && value?.needsConsent !== false) throw new Error(`${names[index]}: not a returning launch (${JSON.stringify(value)})`);
      // The first round warms the browser and the server up.
      if (round > 0) results[index].push(mode === 'dialog' ? value : value.createToReady);
      if (mode === 'ready' && round > 0) (results[index].sync ??= []).push(value.createSync);
      await (mode === 'ready' ? tab.close() : context.close());
    }
  }
} finally {
  await browser.close();
  await server.close();
}
const show = (values) => `${median(values).toFixed(1)} ms (IQR ${quantile(values, 0.25).toFixed(1)}–${quantile(values, 0.75).toFixed(1)}, n=${values.length})`;
console.log(`${mode} at ${rate}× CPU${mode === 'dialog' ? (inline ? ', policy in the page' : ', policy fetched') : ''}, ${rounds - 1} rounds after a warm-up, builds taking turns:`);
names.forEach((name, index) => console.log(`  ${name.padEnd(28)} ${show(results[index])}${mode === 'ready' ? `; synchronous createConsent() ${show(results[index].sync)}` : ''}`));
