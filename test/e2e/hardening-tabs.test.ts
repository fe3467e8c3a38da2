import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/verify/index.js';
import { acceptedCounts, drainPage, ledgerOf, openHardening, overlappingPosts, poll, type HardeningWindow } from '../hardening/e2e-support.js';
import { receiverSuite } from './receipts-support.js';

declare const window: HardeningWindow;

/**
 * Issue 8 item 6: several tabs (or webviews) on one origin share IndexedDB. One flusher at a
 * time (Web Locks), one chain, each receipt stored once at the receiver — counted there, with
 * the most POSTs ever open at once — while both tabs keep deciding, one of their sends hung.
 */
const suite = receiverSuite();

const decide = (page: Page, step: number) => page.evaluate((i) => {
  const c = window.consent;
  return [() => c.agree(), () => c.setPurpose('marketing', true), () => c.grant('face_consent'), () => c.setPurpose('nearby_recommendation', true), () => c.withdraw('face_consent'), () => c.setPurpose('marketing', false)][i % 6]!();
}, step);

describe('two tabs on one origin', () => {
  it('one flusher at a time, one chain, every receipt stored once, through a hung send', async () => {
    const receiver = await suite.fixture.start();
    const endpoint = `${receiver.url}/receipts`;
    const [a, b] = [await suite.context.newPage(), await suite.context.newPage()];
    await a.clock.install();
    await Promise.all([openHardening(a, suite.pages.url, endpoint), openHardening(b, suite.pages.url, endpoint)]);
    receiver.script([{ kind: 'hang' }]);

    // Both tabs decide at once, over and over; the first send hangs and holds the flush lock.
    await Promise.all([(async () => { for (const i of [0, 1, 2]) await decide(a, i); })(), (async () => { for (const i of [3, 4, 5]) await decide(b, i); })()]);
    while (receiver.posts.length === 0) await poll();
    await drainPage(a, receiver); // ends the hang (clock past the 15 s send timeout), then delivers
    await drainPage(b, receiver);

    const ledger = await ledgerOf(suite.fixture.dataDir);
    expect(ledger).toHaveLength(6);
    expect([...acceptedCounts(receiver).values()]).toEqual(Array(6).fill(1));
    expect(overlappingPosts(receiver)).toEqual([]);
    expect(verifyChain(ledger.map((line) => line.jws))).toMatchObject({ valid: true, chains: [expect.objectContaining({ length: 6 })] });
    for (const page of [a, b]) expect(await page.evaluate(async () => (await window.consent.pendingReceipts()).length)).toBe(0);
  });

  it('state converges: a tab open while another decides sees its decisions at once, and a tab opened later sees every decision of both', async () => {
    const receiver = await suite.fixture.start();
    const endpoint = `${receiver.url}/receipts`;
    const [a, b] = [await suite.context.newPage(), await suite.context.newPage()];
    await Promise.all([openHardening(a, suite.pages.url, endpoint), openHardening(b, suite.pages.url, endpoint)]);
    await decide(a, 0); // agree
    await decide(a, 1); // marketing on, in tab A
    // Tab B, open all along, hears of A's saves at once (BroadcastChannel per policy id) and
    // adopts them: it would not show the first-launch dialog again. It makes no receipt for them.
    while (await b.evaluate(() => !window.consent.isGranted('marketing'))) await poll();
    expect(await b.evaluate(() => [window.consent.needsConsent, window.consent.isGranted('marketing')])).toEqual([false, true]);
    const fresh = await suite.context.newPage();
    await openHardening(fresh, suite.pages.url, endpoint);
    expect(await fresh.evaluate(() => [window.consent.needsConsent, window.consent.isGranted('marketing')])).toEqual([false, true]);
    // B acts: its save merges with what A stored (src/storage/save-decisions.ts).
    await decide(b, 2); // grant face_consent
    expect(await b.evaluate(() => [window.consent.isGranted('marketing'), window.consent.isGranted('face_consent')])).toEqual([true, true]);
    const later = await suite.context.newPage();
    await openHardening(later, suite.pages.url, endpoint);
    expect(await later.evaluate(() => [window.consent.needsConsent, window.consent.isGranted('marketing'), window.consent.isGranted('face_consent')])).toEqual([false, true, true]);
    // One receipt per decision, each made by the tab where it was decided, each stored once.
    await drainPage(a, receiver);
    await drainPage(b, receiver);
    expect(await ledgerOf(suite.fixture.dataDir)).toHaveLength(3);
    // The receiver logs an item after its ledger write, and a tab opened later may be the one
    // whose flush delivered the last receipt: wait for the log, then require exactly once each.
    await expect.poll(() => [...acceptedCounts(receiver).values()], { timeout: 5_000 }).toEqual([1, 1, 1]);
  });
});
