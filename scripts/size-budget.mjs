#!/usr/bin/env node
// The byte budget of the built files (DESIGN.md "Budgets"), the only benchmark CI fails on.
//   node scripts/size-budget.mjs          check; exit 1 when over budget, 2 when not built
//   node scripts/size-budget.mjs --report always print the breakdown, never fail on budget
// Run after `npm run build` (it measures dist/, it does not build).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { breakdownMarkdown, headlessBundle, SCRIPT_TAG_JS, scriptTagFiles, sourceBreakdown } from '../bench/lib/sizes.mjs';

/** Script tag: dist/inapp-consent.iife.js + any CSS the page must load, gzip -9, bytes. */
export const SCRIPT_TAG_BUDGET_GZIP = 15_500;
/** What we aim at for the script tag (reported, not enforced). */
export const SCRIPT_TAG_TARGET_GZIP = 14_000;
/** Headless ESM: `createConsent` from dist/headless.js with its dependencies, esbuild-minified, gzip -9. */
export const HEADLESS_BUDGET_GZIP = 5_000;

const root = fileURLToPath(new URL('../', import.meta.url));
const reportOnly = process.argv.includes('--report');
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
      detail: scriptTag.files.map((file) => `${file.path} ${n(file.gzip)}`).join(' + ') + (scriptTag.cssInlined ? ' (CSS inlined in the JS)' : ''),
      breakdown: () => sourceBreakdown(root, 'src/embed.ts', { format: 'iife' }),
    },
    {
      name: 'headless ESM',
      gzip: headless.gzip,
      budget: HEADLESS_BUDGET_GZIP,
      detail: `esbuild ${headless.esbuildVersion} --bundle --minify --format=esm of createConsent from dist/headless.js, ${n(headless.raw)} B minified`,
      breakdown: () => sourceBreakdown(root, 'src/headless.ts', { format: 'esm' }),
    },
  ];
  for (const path of scriptTag.cssNamedInJs) console.warn(`size-budget: warning: ${SCRIPT_TAG_JS} names "${path}"; if the page must load it, add it to SCRIPT_TAG_CSS in bench/lib/sizes.mjs`);

  let failed = false;
  console.log('| file | gzip -9 B | budget B | headroom B | status |\n|---|---:|---:|---:|---|');
  for (const check of checks) {
    const over = check.gzip > check.budget;
    failed ||= over;
    console.log(`| ${check.name} | ${n(check.gzip)} | ${n(check.budget)} | ${n(check.budget - check.gzip)} | ${over ? 'OVER BUDGET' : 'ok'} |`);
  }
  for (const check of checks) console.log(`  ${check.name}: ${check.detail}`);
  if (scriptTag.total.gzip <= SCRIPT_TAG_BUDGET_GZIP && scriptTag.total.gzip > SCRIPT_TAG_TARGET_GZIP) {
    console.log(`  script tag is within budget but above the ${n(SCRIPT_TAG_TARGET_GZIP)} B target`);
  }
  for (const check of checks) {
    if (!reportOnly && check.gzip <= check.budget) continue;
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
    console.error(`\nsize-budget: over budget (script tag ≤ ${n(SCRIPT_TAG_BUDGET_GZIP)} B gzip, headless ≤ ${n(HEADLESS_BUDGET_GZIP)} B gzip)`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then((code) => process.exit(code), (error) => { console.error(error); process.exit(2); });
}
