#!/usr/bin/env node
// The byte budget of the built files (DESIGN.md "Budgets"), the only benchmark CI fails on.
// A DESIGN budget that is met is enforced. One that is not yet met is printed as NOT MET, and
// what CI enforces instead is a regression ceiling: the size measured when it was set + 2 %, so
// the files cannot grow while the budget is out of reach (bench/RESULTS.md says what was tried).
//   node scripts/size-budget.mjs          check; exit 1 over what is enforced, 2 when not built
//   node scripts/size-budget.mjs --report always print the breakdown, never fail
// Run after `npm run build` (it measures dist/, it does not build).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { breakdownMarkdown, headlessBundle, SCRIPT_TAG_JS, scriptTagFiles, sourceBreakdown } from '../bench/lib/sizes.mjs';

/** Script tag: dist/inapp-consent.iife.js + any CSS the page must load, gzip -9, bytes. */
export const SCRIPT_TAG_BUDGET_GZIP = 15_500;
/** What we aim at for the script tag (reported, not enforced). */
export const SCRIPT_TAG_TARGET_GZIP = 14_000;
/**
 * Headless ESM: `createConsent` from dist/headless.js with its dependencies, esbuild-minified and
 * split at `import()`, gzip -9 of what loads before `ready` (the lazy chunks are reported apart).
 */
export const HEADLESS_BUDGET_GZIP = 5_000;

/**
 * Regression ceilings, enforced while a DESIGN budget is NOT MET: the sizes measured on
 * 2026-12-04 + 2 %, re-taken at the end of that evening's session (bench/size-steps.md): the
 * script tag lost 755 B to shorter UI code and minifier options, and gained 1,014 B for
 * decisions visible at dispatch (WD-01), saves in one IndexedDB transaction, the receipt log's
 * compare-and-write and the V8 compile-hint line; the headless start path gained 694 B for the
 * same reasons. Lower them when the files shrink; drop one once its budget is met (then the
 * budget itself is enforced).
 */
// Raised on 2026-12-05 (from 42,648) for a policy already seen on this device recognised
// without validating or hashing it again (src/host/seen-policy.ts): +457 B, for a returning
// user's synchronous start of ~20 → ~9 ms (bench/size-steps.md).
const SCRIPT_TAG_MEASURED_GZIP = 43_696;
// Raised once more (from 15,014): the IndexedDB read-then-write and the `bridge` option's
// reading are each written once, on the start path, where the lazy receipts and bridge chunks
// had their own copies: +50 B before `ready`, −115 B after it (30,788 → 30,723 B in all).
// And on 2026-12-05 (from 15,336) for the seen-policy fingerprint above: +483 B.
const HEADLESS_MEASURED_GZIP = 15_819;
export const SCRIPT_TAG_CEILING_GZIP = ceiling(SCRIPT_TAG_MEASURED_GZIP);
export const HEADLESS_CEILING_GZIP = ceiling(HEADLESS_MEASURED_GZIP);

const root = fileURLToPath(new URL('../', import.meta.url));
const reportOnly = process.argv.includes('--report');
function ceiling(measured) {
  return Math.round(measured * 1.02);
}
const n = (value) => value.toLocaleString('en-US');

async function main() {
  if (!existsSync(`${root}${SCRIPT_TAG_JS}`) || !existsSync(`${root}dist/headless.js`)) {
    console.error(`size-budget: ${SCRIPT_TAG_JS} or dist/headless.js is missing; run \`npm run build\` first`);
    return 2;
  }
  const scriptTag = scriptTagFiles(root);
  const headless = await headlessBundle(root);
  const checks = [
    {
      name: 'script tag (JS + CSS)',
      gzip: scriptTag.total.gzip,
      budget: SCRIPT_TAG_BUDGET_GZIP,
      ceiling: SCRIPT_TAG_CEILING_GZIP,
      detail: scriptTag.files.map((file) => `${file.path} ${n(file.gzip)}`).join(' + ') + (scriptTag.cssInlined ? ' (CSS inlined in the JS)' : ''),
      breakdown: () => sourceBreakdown(root, 'src/embed.ts', { format: 'iife' }),
    },
    {
      name: 'headless ESM, loaded before `ready`',
      gzip: headless.gzip,
      budget: HEADLESS_BUDGET_GZIP,
      ceiling: HEADLESS_CEILING_GZIP,
      detail: `esbuild ${headless.esbuildVersion} --bundle --minify --format=esm --splitting of createConsent from dist/headless.js: ${headless.files.map((file) => n(file.gzip)).join(' + ')} B gzip (${n(headless.raw)} B minified) before \`ready\`; loaded after it or on demand: ${headless.lazy.map((file) => `${file.name} ${n(file.gzip)}`).join(', ')} (${n(headless.lazyTotal.gzip)} B gzip in all, not enforced)`,
      breakdown: () => sourceBreakdown(root, 'src/headless.ts', { format: 'esm' }),
    },
  ];
  for (const path of scriptTag.cssNamedInJs) console.warn(`size-budget: warning: ${SCRIPT_TAG_JS} names "${path}"; if the page must load it, add it to SCRIPT_TAG_CSS in bench/lib/sizes.mjs`);

  let failed = false;
  console.log('| file | gzip -9 B | DESIGN budget B | DESIGN budget | enforced in CI | status |\n|---|---:|---:|---|---|---|');
  for (const check of checks) {
    const met = check.gzip <= check.budget;
    // The budget when it is met; otherwise the regression ceiling (never below the budget).
    check.enforced = met ? check.budget : Math.max(check.budget, check.ceiling);
    check.over = check.gzip > check.enforced;
    failed ||= check.over;
    const enforced = met ? `budget ${n(check.budget)} B` : `regression ceiling ${n(check.enforced)} B`;
    const status = check.over ? `OVER THE ${met ? 'BUDGET' : 'CEILING'} by ${n(check.gzip - check.enforced)} B` : `ok (${n(check.enforced - check.gzip)} B headroom)`;
    console.log(`| ${check.name} | ${n(check.gzip)} | ${n(check.budget)} | ${met ? 'met' : `NOT MET (${n(check.gzip - check.budget)} B over)`} | ${enforced} | ${status} |`);
  }
  for (const check of checks) console.log(`  ${check.name}: ${check.detail}`);
  if (scriptTag.total.gzip <= SCRIPT_TAG_BUDGET_GZIP && scriptTag.total.gzip > SCRIPT_TAG_TARGET_GZIP) {
    console.log(`  script tag is within budget but above the ${n(SCRIPT_TAG_TARGET_GZIP)} B target`);
  }
  for (const check of checks) {
    if (!reportOnly && !check.over) continue;
    console.log(`\n### What costs the bytes: ${check.name}\n`);
    try {
      console.log(breakdownMarkdown(await check.breakdown()));
    } catch (error) {
      console.log(`(breakdown unavailable: ${error instanceof Error ? error.message.split('\n')[0] : error})`);
    }
  }
  if (failed || reportOnly) {
    console.log('\n### What would save bytes (bench/whatif.mjs)\n');
    try {
      const { whatIf, whatIfMarkdown } = await import('../bench/whatif.mjs');
      console.log(whatIfMarkdown(await whatIf()));
    } catch (error) {
      console.log(`(what-if unavailable: ${error instanceof Error ? error.message.split('\n')[0] : error})`);
    }
  }
  if (failed && !reportOnly) {
    const over = checks.filter((check) => check.over).map((check) => `${check.name} ${n(check.gzip)} B > ${n(check.enforced)} B`);
    console.error(`\nsize-budget: ${over.join('; ')} (gzip -9). Cut bytes, or, for a deliberate increase, raise the ceiling in scripts/size-budget.mjs and say why.`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then((code) => process.exit(code), (error) => { console.error(error); process.exit(2); });
}
