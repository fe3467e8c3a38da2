import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FaultStep } from '../../examples/receiver/faults.js';
import { verifyChain } from '../../src/verify/index.js';
import { acceptedCounts, drainPage, ledgerOf, openHardening, type HardeningWindow } from '../hardening/e2e-support.js';
import { listing, receiverSuite } from './receipts-support.js';

declare const window: HardeningWindow;

/**
 * Issue 8 item 4 in Chromium: a page keeps deciding while the reference receiver plays every
 * network fault, one per POST. Delivery is counted at the receiver. The page clock is Playwright's
 * fake clock, so the SDK's 15 s send timeout and a Retry-After pass without waiting.
 */
const EVERY_FAULT: readonly FaultStep[] = [
  { kind: 'status', status: 500 },
  { kind: 'status', status: 503, retryAfter: 2 },
  { kind: 'hang' },
  { kind: 'reset' },
  { kind: 'reset', when: 'after' },
  { kind: 'drip', chunkMs: 20 },
  { kind: 'duplicate-ack' },
  { kind: 'gap', expectedSeq: 1 },
  { kind: 'hang', when: 'after' },
];
const DECISIONS = 10;

const suite = receiverSuite();
let page: Page;
beforeEach(async () => {
  page = await suite.context.newPage();
  await page.clock.install();
});

describe('network faults in Chromium against the reference receiver', () => {
  it(`every receipt delivered exactly once, chain intact, through ${EVERY_FAULT.length} faults; a permanent 400 is a reported dead letter`, async () => {
    const receiver = await suite.fixture.start();
    receiver.script(EVERY_FAULT);
    await openHardening(page, suite.pages.url, `${receiver.url}/receipts`);

    for (let n = 0; n < DECISIONS; n++) {
      // agree, then marketing on, off, on… each a receipt; the flush it starts meets the next fault.
      await page.evaluate((i) => (i === 0 ? window.consent.agree() : window.consent.setPurpose('marketing', i % 2 === 1)), n);
      if (n % 3 !== 1) await drainPage(page, receiver);
    }
    await drainPage(page, receiver);

    expect(receiver.scripted).toBe(0);
    expect(receiver.posts.filter((post) => post.fault).map((post) => post.fault)).toEqual(EVERY_FAULT.map((step) => step.kind));
    expect(await page.evaluate(() => window.consent.isGranted('marketing'))).toBe(true); // the last toggle (9th) was on
    const device = await page.evaluate(async () => ({ pending: (await window.consent.pendingReceipts()).length, dead: (await window.consent.deadReceipts()).length }));
    expect(device).toEqual({ pending: 0, dead: 0 });

    const ledger = await ledgerOf(suite.fixture.dataDir);
    expect(ledger).toHaveLength(DECISIONS);
    const counts = acceptedCounts(receiver);
    expect([...counts.values()]).toEqual(Array(DECISIONS).fill(1));
    expect(new Set(ledger.map((line) => line.jti))).toEqual(new Set(counts.keys()));
    expect(receiver.items.some((item) => item.status === 'duplicate')).toBe(true); // lost acks were replayed
    expect(verifyChain(ledger.map((line) => line.jws))).toMatchObject({ valid: true, chains: [expect.objectContaining({ length: DECISIONS })] });
    const found = await listing(receiver);
    expect(found.devices).toEqual([expect.objectContaining({ count: DECISIONS, headSeq: DECISIONS, chain: { valid: true, problems: [] } })]);
    const outage = await page.evaluate(() => window.errors.map((error) => error.code));
    expect(new Set(outage)).toEqual(new Set(['sync-failed']));

    // A permanent 400: the receipt is a dead letter, reported, and never sent again.
    receiver.script([{ kind: 'status', status: 400 }]);
    await page.evaluate(() => window.consent.grant('face_consent'));
    await drainPage(page, receiver);
    const dead = await page.evaluate(async () => (await window.consent.deadReceipts()).map((entry) => ({ jti: entry.jti, lastError: entry.lastError })));
    expect(dead).toEqual([{ jti: expect.any(String), lastError: 'HTTP 400: fault mode: 400' }]);
    const rejected = await page.evaluate(() => window.errors.filter((error) => error.code === 'receipt-rejected'));
    expect(rejected).toEqual([expect.objectContaining({ message: expect.stringContaining(dead[0]!.jti) })]);
    expect(await page.evaluate(() => window.consent.isGranted('face_consent'))).toBe(true); // the decision itself stands
    const posts = receiver.posts.length;
    await drainPage(page, receiver);
    expect(receiver.posts).toHaveLength(posts);
    expect(await ledgerOf(suite.fixture.dataDir)).toHaveLength(DECISIONS);

    // Issue 4 §4: the dead letter does not block its chain. The next decision's receipt meets a
    // 409 asking for the dead seq; the device resends its own copy, then the new receipt.
    await page.evaluate(() => window.consent.setPurpose('marketing', false));
    await drainPage(page, receiver);
    const after = await page.evaluate(async () => ({
      pending: (await window.consent.pendingReceipts()).length,
      dead: (await window.consent.deadReceipts()).length,
    }));
    expect(after).toEqual({ pending: 0, dead: 0 });
    const whole = await ledgerOf(suite.fixture.dataDir);
    expect(whole).toHaveLength(DECISIONS + 2);
    expect(whole.at(-2)!.jti).toBe(dead[0]!.jti);
    const everyCount = acceptedCounts(receiver);
    expect([...everyCount.values()]).toEqual(Array(DECISIONS + 2).fill(1)); // every receipt accepted exactly once
    expect(new Set(whole.map((line) => line.jti))).toEqual(new Set(everyCount.keys()));
    expect(verifyChain(whole.map((line) => line.jws))).toMatchObject({ valid: true, chains: [expect.objectContaining({ length: DECISIONS + 2, headSeq: DECISIONS + 2 })] });
    expect((await listing(receiver)).devices).toEqual([expect.objectContaining({ count: DECISIONS + 2, headSeq: DECISIONS + 2, chain: { valid: true, problems: [] } })]);
    // Reported once when it died and once when it was revived and resent; nothing more was wrong.
    expect(await page.evaluate(() => window.errors.filter((error) => error.code === 'receipt-rejected').length)).toBe(1);
    const revived = await page.evaluate(() => window.errors.filter((error) => error.code === 'receipt-revived'));
    expect(revived).toEqual([expect.objectContaining({ message: expect.stringContaining(`receipt ${dead[0]!.jti} (seq ${DECISIONS + 1}) was revived`) })]);
  });
});
