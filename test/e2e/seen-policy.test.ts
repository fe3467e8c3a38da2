import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparePolicy } from '../../src/core/policy-prepare.js';
import type { PolicyDocument } from '../../src/core/policy-types.js';
import { launchChromium, phoneContext } from '../helpers/browser.js';
import { withChangedPurpose } from '../helpers/state.js';
import type { StaticServer } from '../helpers/static-server.js';
import { iifeBuilt, startScriptTagPages } from './script-tag-support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SEED = JSON.parse(readFileSync(`${root}examples/policies/lakala-pay.json`, 'utf8')) as PolicyDocument;
const KEY = `inapp-consent/seen-policy/${SEED.policy.id}`;

interface DropIn {
  InAppConsent: { ready: Promise<{ agree(): Promise<void>; needsConsent: boolean; state: { value: { policyHash: string; pending: { purposes: string[] } } } } | undefined> };
}
declare const window: DropIn & Window;

/**
 * A returning launch skips validating and hashing a policy this device has already seen
 * (src/host/seen-policy.ts), in the shipped script-tag build over real localStorage: the hashes
 * it uses are the ones computed from the policy's text, and a changed policy is hashed again.
 */
describe.skipIf(!iifeBuilt)('a policy already seen, across reloads in Chromium', () => {
  let browser: Browser;
  let pages: StaticServer;
  let served: PolicyDocument = SEED;
  beforeAll(async () => {
    browser = await launchChromium();
    pages = await startScriptTagPages(
      { '/app.html': '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>seen</title><script src="/inapp-consent.iife.js" data-policy="/policy.json"></script>' },
      { '/policy.json': (_request, response) => response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(served)) },
    );
  });
  afterAll(async () => {
    await browser?.close();
    await pages?.close();
  });

  const launch = async (page: Page) => {
    await page.goto(`${pages.url}/app.html`);
    return page.evaluate(async (key) => {
      const instance = (await window.InAppConsent.ready)!;
      const { policyHash, pending } = instance.state.value;
      // Remembered in a task after `ready`, off the first dialog's path.
      const read = () => JSON.parse(localStorage.getItem(key) ?? 'null') as { sha: string; hashes: { policy: string } } | null;
      for (let tries = 0; tries < 100 && read()?.hashes.policy !== policyHash; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
      return { needsConsent: instance.needsConsent, policyHash, pending: pending.purposes, remembered: read() };
    }, KEY);
  };

  it('remembers the hashes computed from the text, uses them on reload, and hashes a changed policy again', async () => {
    const context = await phoneContext(browser);
    try {
      const page = await context.newPage();
      served = SEED;
      const first = await launch(page);
      const expected = preparePolicy(SEED).hashes;
      expect(first).toMatchObject({ needsConsent: true, policyHash: expected.policy, remembered: { hashes: expected } });
      await page.evaluate(async () => (await window.InAppConsent.ready)!.agree());

      const again = await launch(page);
      expect(again).toMatchObject({ needsConsent: false, policyHash: expected.policy, remembered: first.remembered });

      const changed = withChangedPurpose(SEED, SEED.purposes[0]!.id, '变更后的用途');
      served = changed;
      const after = await launch(page);
      expect(after).toMatchObject({ needsConsent: true, policyHash: preparePolicy(changed).hashes.policy, pending: [SEED.purposes[0]!.id] });
      expect(after.remembered?.hashes).toEqual(preparePolicy(changed).hashes);
      expect(after.remembered?.sha).not.toBe(first.remembered?.sha);
    } finally {
      await context.close();
    }
  });
});
