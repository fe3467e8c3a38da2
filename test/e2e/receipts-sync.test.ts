import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ConsentInstance } from '../../src/host/instance.js';
import { verifyChain, verifyReceipt } from '../../src/verify/index.js';
import { eventually, listing, openPage, receiverSuite } from './receipts-support.js';

declare const consent: ConsentInstance;
declare const errors: string[];

const suite = receiverSuite();
let page: Page;
beforeEach(async () => {
  page = await suite.context.newPage();
});

const storedKey = () => page.evaluate(async () => {
  // Read the device key straight from IndexedDB, as any script on the origin could.
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('inapp-consent-keys');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const pair = await new Promise<CryptoKeyPair>((resolve) => {
    const request = db.transaction('keys').objectStore('keys').get('device-key/v1');
    request.onsuccess = () => resolve(request.result);
  });
  const exported = await crypto.subtle.exportKey('jwk', pair.privateKey).then(() => 'exported', (error: Error) => error.name);
  return { extractable: pair.privateKey.extractable, algorithm: (pair.privateKey.algorithm as EcKeyAlgorithm).namedCurve, exported };
});

describe('receipts in Chromium with the reference receiver', () => {
  it('sends nothing before the first decision; then the decision\'s receipt arrives and verifies', async () => {
    const receiver = await suite.fixture.start();
    await openPage(page, suite.pages.url, { endpoint: `${receiver.url}/receipts` });
    await page.evaluate(() => consent.flush());
    await page.evaluate(() => consent.dismiss());
    await page.waitForTimeout(500);
    expect(receiver.requests).toEqual([]);

    await page.evaluate(() => consent.agree());
    const found = await eventually(() => listing(receiver), (list) => list.devices[0]?.count === 1);
    const [device] = found.devices;
    expect(device).toMatchObject({ count: 1, headSeq: 1, chain: { valid: true } });
    const left = await eventually(() => page.evaluate(async () => [...(await consent.pendingReceipts()), ...(await consent.deadReceipts())]), (list) => list.length === 0);
    expect(left).toEqual([]);
    const subject = await page.evaluate(() => consent.state.value.subject);
    expect(device!.sub).toBe(subject);
    expect(device!.receipts[0]!.event.type).toBe('given');
    expect(await page.evaluate(() => errors)).toEqual([]);
  });

  it('keeps deciding through an outage (refused, then 503) and a reload; delivers every receipt once, chained under one key', async () => {
    const probe = await suite.fixture.start();
    const port = probe.port;
    const endpoint = `${probe.url}/receipts`;
    await suite.fixture.stop(); // connection refused from here on

    await openPage(page, suite.pages.url, { endpoint });
    await page.evaluate(async () => {
      await consent.agree();
      await consent.setPurpose('marketing', true);
      await consent.flush();
    });
    expect(await page.evaluate(() => consent.isGranted('marketing'))).toBe(true);
    const refused = await page.evaluate(async () => (await consent.pendingReceipts()).map((entry) => entry.lastError));
    expect(refused).toEqual([expect.stringMatching(/^network: /), expect.stringMatching(/^network: /)]);
    expect(await page.evaluate(() => errors)).toEqual(['sync-failed']);

    const receiver = await suite.fixture.start(port, { status: 503, retryAfter: 1 });
    await page.evaluate(() => consent.flush());
    await eventually(async () => receiver.requests.filter((r) => r.status === 503).length, (n) => n >= 1);
    expect(await page.evaluate(async () => (await consent.pendingReceipts()).map((entry) => entry.lastError))).toEqual(['HTTP 503', 'HTTP 503']);

    await page.reload();
    await page.evaluate(() => (window as unknown as { started: Promise<void> }).started);
    await page.evaluate(() => consent.withdraw('marketing'));
    expect(await page.evaluate(() => consent.isGranted('marketing'))).toBe(false);
    const pending = await page.evaluate(async () => (await consent.pendingReceipts()).map((entry) => entry.jti));
    expect(pending).toHaveLength(3);

    receiver.setFault(undefined);
    await page.waitForTimeout(1100); // the last Retry-After ends
    await page.evaluate(() => dispatchEvent(new Event('online')));
    const found = await eventually(() => listing(receiver), (list) => list.devices[0]?.count === 3);
    expect(found.devices).toHaveLength(1);
    const [device] = found.devices;
    expect(device).toMatchObject({ count: 3, headSeq: 3, chain: { valid: true, problems: [] } });
    expect(device!.receipts.map((receipt) => receipt.jti)).toEqual(pending);
    expect(device!.receipts.map((receipt) => receipt.event.type)).toEqual(['given', 'given', 'withdrawn']);
    expect(await eventually(() => page.evaluate(async () => (await consent.pendingReceipts()).length), (n) => n === 0)).toBe(0);
    const statuses = receiver.requests.filter((r) => r.method === 'POST').map((r) => r.status);
    expect(statuses).toContain(503);
    expect(statuses.at(-1)).toBe(200);
  });

  it('keeps one non-extractable device key across reloads (same kid)', async () => {
    const receiver = await suite.fixture.start();
    await openPage(page, suite.pages.url, { endpoint: `${receiver.url}/receipts` });
    await page.evaluate(() => consent.agree());
    await page.reload();
    await page.evaluate(() => (window as unknown as { started: Promise<void> }).started);
    await page.evaluate(() => consent.setPurpose('marketing', true));
    const found = await eventually(() => listing(receiver), (list) => list.devices.reduce((n, d) => n + d.count, 0) === 2);
    expect(found.devices).toHaveLength(1);
    expect(found.devices[0]!.count).toBe(2);
    expect(await storedKey()).toEqual({ extractable: false, algorithm: 'P-256', exported: 'InvalidAccessError' });
    const acked = await page.evaluate(async () => (await consent.pendingReceipts()).length);
    expect(acked).toBe(0);
  });

  it('a receipt tampered on the way is rejected by the receiver and filed as a dead letter', async () => {
    const receiver = await suite.fixture.start();
    await openPage(page, suite.pages.url, { endpoint: `${receiver.url}/receipts`, tamper: '1' });
    await page.evaluate(async () => {
      await consent.agree();
      await consent.flush();
    });
    const dead = await eventually(() => page.evaluate(async () => consent.deadReceipts()), (list) => list.length === 1);
    expect(dead[0]!.lastError).toMatch(/^rejected: .*signature does not verify/);
    expect(await page.evaluate(() => errors)).toContain('receipt-rejected');
    expect((await listing(receiver)).devices).toEqual([]);
    // The untampered receipt, kept on the device, still verifies.
    expect(verifyReceipt(dead[0]!.jws).payload.x.event.kind).toBe('agree');
  });

  it('two tabs deciding at once append to one chain, each receipt once', async () => {
    const receiver = await suite.fixture.start();
    const endpoint = `${receiver.url}/receipts`;
    const second = await suite.context.newPage();
    await Promise.all([openPage(page, suite.pages.url, { endpoint }), openPage(second, suite.pages.url, { endpoint })]);
    await Promise.all([
      page.evaluate(async () => { await consent.agree(); await consent.setPurpose('marketing', true); }),
      second.evaluate(async () => { await consent.grant('face_consent'); await consent.recordPermission('location', 'granted', 'continue'); }),
    ]);
    const found = await eventually(() => listing(receiver), (list) => list.devices[0]?.count === 4);
    expect(found.devices).toHaveLength(1);
    expect(found.devices[0]).toMatchObject({ count: 4, chain: { valid: true } });
    const jws = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve) => {
        const request = indexedDB.open('inapp-consent-receipts');
        request.onsuccess = () => resolve(request.result);
      });
      return new Promise<string[]>((resolve) => {
        const request = db.transaction('receipts').objectStore('receipts').getAll();
        request.onsuccess = () => resolve((request.result as { jws?: string }[]).filter((value) => value.jws).map((value) => value.jws!));
      });
    });
    expect(verifyChain(jws)).toMatchObject({ valid: true, chains: [expect.objectContaining({ length: 4 })] });
  });
});
