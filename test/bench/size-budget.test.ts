import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/**
 * The byte-budget script CI runs (scripts/size-budget.mjs): in --report mode it never fails, the
 * figure it prints for the script tag is the gzip -9 size of the built file, and every row says
 * whether its DESIGN budget is met and what CI enforces (the budget, or a named ceiling).
 */
describe('scripts/size-budget.mjs', () => {
  it('reports the built script tag and headless sizes with their budgets and what is enforced', async () => {
    const { stdout } = await run(process.execPath, ['scripts/size-budget.mjs', '--report'], { cwd: root, timeout: 60_000 });
    const iife = gzipSync(readFileSync(`${root}dist/inapp-consent.iife.js`), { level: 9 }).length;
    expect(stdout).toContain(`dist/inapp-consent.iife.js ${iife.toLocaleString('en-US')}`);
    const scriptTag = Number(/\| script tag \(JS \+ CSS\) \| ([\d,]+) \| 15,500 \|/.exec(stdout)?.[1]?.replace(/,/g, ''));
    expect(scriptTag).toBeGreaterThanOrEqual(iife);
    expect(stdout).toMatch(/\| headless ESM, loaded before `ready` \| [\d,]+ \| 5,000 \|/);
    for (const row of stdout.split('\n').filter((line) => /^\| (script tag|headless)/.test(line))) {
      expect(row).toMatch(/\| met \| budget [\d,]+ B \||\| NOT MET \([\d,]+ B over\) \| regression ceiling [\d,]+ B \|/);
    }
    expect(stdout).toMatch(/loaded after it or on demand: .*not enforced/);
    expect(stdout).toContain('What costs the bytes');
  }, 90_000);
});

/**
 * `npm run bench` is never part of the test run (it takes minutes and a quiet machine), so a
 * syntax error in it would only show on the next benchmark: its files are at least parsed here.
 */
describe('the benchmark scripts', () => {
  it.each(['bench/run.mjs', 'bench/ab.mjs', 'bench/whatif.mjs', 'bench/lib/browser.mjs', 'bench/lib/sizes.mjs', 'bench/lib/server.mjs', 'bench/lib/stats.mjs', 'bench/lib/receiver.mjs'])('%s parses', async (file) => {
    await expect(run(process.execPath, ['--check', file], { cwd: root, timeout: 30_000 })).resolves.toBeDefined();
  });
});
