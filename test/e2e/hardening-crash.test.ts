import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain, verifyReceipt } from '../../src/verify/index.js';
import type { StaticServer } from '../helpers/static-server.js';
import { killBrowser, launchProfile, startTrap } from '../hardening/crash-support.js';
import { acceptedCounts, ledgerOf, openHardening, poll, type HardeningWindow } from '../hardening/e2e-support.js';
import { receiverFixture, startPages } from './receipts-support.js';

declare const window: HardeningWindow;

/**
 * Issue 8 item 5: Chromium SIGKILLed during a decision write and during a sync, then started
 * again on the same profile. Nothing the person decided may be lost and nothing delivered
 * twice — counted at the receiver (accepted once per jti, one ledger line per jti).
 */

let pages: StaticServer;
let profile: string;
let fixture: Awaited<ReturnType<typeof receiverFixture>>;
let context: BrowserContext | undefined;

beforeAll(async () => {
  pages = await startPages();
});
afterAll(async () => {
  await pages?.close();
});
beforeEach(async () => {
  profile = await mkdtemp(join(tmpdir(), 'crash-profile-'));
  fixture = await receiverFixture();
});
afterEach(async () => {
  await context?.close().catch(() => undefined);
  context = undefined;
  await fixture?.dispose();
  await rm(profile, { recursive: true, force: true });
});

async function launch(endpoint: string): Promise<Page> {
  context = await launchProfile(profile);
  const page = context.pages()[0] ?? (await context.newPage());
  await openHardening(page, pages.url, endpoint);
  return page;
}

async function crash(): Promise<void> {
  await killBrowser(profile);
  await context?.close().catch(() => undefined); // the connection is gone; just let go of it
  context = undefined;
}

/** Every receipt on the device, read from IndexedDB as any script on the origin could. */
const deviceReceipts = (page: Page) => page.evaluate(async () => {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('inapp-consent-receipts');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const all = await new Promise<{ jws?: string; status?: string }[]>((resolve) => {
    const request = db.transaction('receipts').objectStore('receipts').getAll();
    request.onsuccess = () => resolve(request.result);
  });
  return all.filter((value) => value.jws).map((value) => ({ jws: value.jws!, status: value.status! }));
});

const settle = async (page: Page) => {
  await page.evaluate(() => window.consent.flush());
  while ((await page.evaluate(async () => (await window.consent.pendingReceipts()).length)) > 0) {
    await page.evaluate(() => window.consent.flush());
    await poll();
  }
};

describe('Chromium killed and started again on the same profile', () => {
  it('killed during a decision write: earlier receipts kept, the torn write leaves no half receipt, the missing receipt is made at restart (state and last receipt agree), the chain goes on, nothing sent twice', async () => {
    const receiver = await fixture.start();
    const endpoint = `${receiver.url}/receipts`;
    let page = await launch(endpoint);
    await page.evaluate(async () => {
      await window.consent.agree();
      await window.consent.setPurpose('marketing', true);
    });
    await settle(page);
    expect(await ledgerOf(fixture.dataDir)).toHaveLength(2);

    // Freeze the page inside the receipt's IndexedDB transaction: the receipt record is put,
    // the chain head not yet, nothing committed. Then SIGKILL.
    const trap = await startTrap();
    await page.evaluate((url) => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        const request = put.apply(this, args);
        if (this.transaction.db.name === 'inapp-consent-receipts' && Array.isArray(args[1])) {
          const xhr = new XMLHttpRequest();
          xhr.open('GET', url, false); // never answered: the main thread stops here
          try { xhr.send(); } catch { /* killed first */ }
        }
        return request;
      };
    }, trap.url);
    void page.evaluate(() => window.consent.setPurpose('marketing', false)).catch(() => undefined);
    await trap.reached;
    await crash();
    await trap.close();

    page = await launch(endpoint);
    // The decision's write (which carries its event: the write-ahead list, CG-05) committed
    // before the receipt's transaction was torn: the start after the crash makes that receipt.
    while ((await deviceReceipts(page)).length < 3) await poll();
    const onDevice = await deviceReceipts(page);
    expect(onDevice.map((entry) => entry.status).slice(0, 2)).toEqual(['acked', 'acked']);
    expect(verifyChain(onDevice.map((entry) => entry.jws))).toMatchObject({ valid: true, chains: [expect.objectContaining({ length: 3 })] });
    // The state after the crash and the last receipt agree: marketing withdrawn, and proven so.
    expect(await page.evaluate(() => [window.consent.needsConsent, window.consent.isGranted('marketing')])).toEqual([false, false]);
    const last = verifyReceipt(onDevice[2]!.jws).payload;
    expect(last.x.event.type).toBe('withdrawn');
    expect(last.x.decisions).toEqual([expect.objectContaining({ purposeId: 'marketing', status: 'refused' })]);

    await page.evaluate(() => window.consent.setPurpose('marketing', true));
    await settle(page);
    const ledger = await ledgerOf(fixture.dataDir);
    expect(ledger).toHaveLength(4);
    expect(ledger.map((line) => verifyReceipt(line.jws).payload.x.event.type)).toEqual(['given', 'given', 'withdrawn', 'given']);
    expect(verifyReceipt(ledger[3]!.jws).payload.x.chain.seq).toBe(4);
    expect(verifyChain(ledger.map((line) => line.jws))).toMatchObject({ valid: true, chains: [expect.objectContaining({ length: 4 })] });
    expect([...acceptedCounts(receiver).values()]).toEqual([1, 1, 1, 1]);
  });

  it('killed after the receipt was written, before its decision came off the write-ahead list: recognised by jti at restart, never signed or stored twice', async () => {
    const receiver = await fixture.start();
    const endpoint = `${receiver.url}/receipts`;
    let page = await launch(endpoint);
    await page.evaluate(() => window.consent.agree());
    await settle(page);

    // Freeze the page in the write that takes the withdrawal off the list (the decisions record
    // written again without `unreceipted`, after the receipt's transaction), then SIGKILL.
    const trap = await startTrap();
    await page.evaluate((url) => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        const value = args[0] as { unreceipted?: unknown; decisions?: { purposes?: Record<string, { granted: boolean }> } } | undefined;
        const request = put.apply(this, args);
        if (this.transaction.db.name === 'inapp-consent' && value?.decisions?.purposes?.marketing?.granted === false && !value.unreceipted) {
          const xhr = new XMLHttpRequest();
          xhr.open('GET', url, false); // never answered: the main thread stops here
          try { xhr.send(); } catch { /* killed first */ }
        }
        return request;
      };
    }, trap.url);
    void page.evaluate(() => window.consent.setPurpose('marketing', false)).catch(() => undefined);
    await trap.reached;
    await crash();
    await trap.close();

    page = await launch(endpoint);
    expect(await page.evaluate(() => window.consent.isGranted('marketing'))).toBe(false);
    await settle(page);
    await page.evaluate(() => window.consent.dismiss()); // queued after the start's write-ahead pass
    const onDevice = await deviceReceipts(page);
    expect(onDevice).toHaveLength(2);
    expect(verifyReceipt(onDevice[1]!.jws).payload.x.event.type).toBe('refused');
    const ledger = await ledgerOf(fixture.dataDir);
    expect(ledger.map((line) => line.jti)).toEqual(onDevice.map((entry) => verifyReceipt(entry.jws).payload.jti));
    expect([...acceptedCounts(receiver).values()]).toEqual([1, 1]);
    expect(verifyChain(ledger.map((line) => line.jws)).valid).toBe(true);
  });

  it('killed during a sync (the receiver stored the receipts, the answer never came): resent on restart, stored once', async () => {
    const receiver = await fixture.start();
    const endpoint = `${receiver.url}/receipts`;
    receiver.script([{ kind: 'hang', when: 'after' }]);
    let page = await launch(endpoint);
    await page.evaluate(async () => {
      await window.consent.agree();
      await window.consent.grant('face_consent');
    });
    // Wait until the receiver has stored what the hung POST carried (the first receipt; the
    // second waits behind that send on the device), then kill mid-request.
    while ((await ledgerOf(fixture.dataDir)).length < 1) await poll();
    const jtis = (await deviceReceipts(page)).map((entry) => verifyReceipt(entry.jws).payload.jti);
    await crash();

    page = await launch(endpoint);
    // The SDK's start flush (earlier sessions left receipts pending) resends them; the receiver
    // recognises them by jti.
    await settle(page);
    expect(await page.evaluate(() => window.consent.isGranted('face_consent'))).toBe(true);
    expect((await deviceReceipts(page)).map((entry) => entry.status)).toEqual(['acked', 'acked']);
    const ledger = await ledgerOf(fixture.dataDir);
    expect(ledger.map((line) => line.jti)).toEqual(jtis);
    expect([...acceptedCounts(receiver).values()]).toEqual([1, 1]);
    expect(receiver.items.filter((item) => item.status === 'duplicate').length).toBeGreaterThan(0);
    expect(verifyChain(ledger.map((line) => line.jws)).valid).toBe(true);
  });
});
