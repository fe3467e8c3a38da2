import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ConsentError } from '../../src/core/errors.js';
import type { OutboxEntry } from '../../src/core/outbox.js';
import { createConsent } from '../../src/host/create-consent.js';
import { verifyChain, verifyReceipt } from '../../src/verify/index.js';
import { fixturePolicy } from '../fixtures/policy.js';
import { acceptAll, ENDPOINT, scriptedFetch } from './support.js';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

describe('createConsent with receipts', () => {
  it('FL-01: makes no request before the first decision, then sends that decision\'s receipt', async () => {
    const { fetch, calls } = scriptedFetch(acceptAll);
    const consent = createConsent({ policy: fixturePolicy(), endpoint: ENDPOINT, fetch, iss: 'com.example.fixture' });
    const receipts: OutboxEntry[] = [];
    consent.on('receipt', (entry) => receipts.push(entry));
    await consent.ready;
    await consent.flush();
    await consent.dismiss();
    expect(calls).toEqual([]);
    await consent.agree();
    await consent.flush();
    expect(calls).toHaveLength(1);
    const { payload } = verifyReceipt(calls[0]!.receipts[0]!);
    expect(payload).toMatchObject({ iss: 'com.example.fixture', sub: consent.state.value.subject, x: { signer: 'device', event: { kind: 'agree' } } });
    expect(receipts.map((entry) => entry.jti)).toEqual([payload.jti]);
    expect(await consent.pendingReceipts()).toEqual([]);
    consent.destroy();
  });

  it('keeps every receipt through an outage and a reload, then delivers them in one chain under one key', async () => {
    const down = scriptedFetch(new TypeError('Failed to fetch'));
    const errors: ConsentError[] = [];
    const first = createConsent({ policy: fixturePolicy(), endpoint: ENDPOINT, fetch: down.fetch });
    first.on('error', (error) => errors.push(error));
    await first.agree();
    await first.setPurpose('marketing', true);
    expect(first.isGranted('marketing')).toBe(true);
    await first.flush();
    expect((await first.pendingReceipts()).map((entry) => entry.seq)).toEqual([1, 2]);
    expect(errors.map((error) => error.code)).toEqual(['sync-failed']);
    first.destroy();

    const up = scriptedFetch(acceptAll);
    const second = createConsent({ policy: fixturePolicy(), endpoint: ENDPOINT, fetch: up.fetch });
    await second.ready;
    await second.withdraw('marketing');
    await second.flush();
    const sent = up.calls.flatMap((call) => call.receipts);
    const report = verifyChain(sent);
    expect(report.valid).toBe(true);
    expect(report.chains).toEqual([expect.objectContaining({ length: 3, headSeq: 3 })]);
    expect(report.receipts.map((receipt) => receipt.payload.x.event.type)).toEqual(['given', 'given', 'withdrawn']);
    expect(await second.pendingReceipts()).toEqual([]);
    second.destroy();
  });

  it('makes receipts without an endpoint and keeps them pending on the device', async () => {
    const consent = createConsent({ policy: fixturePolicy() });
    await consent.decline();
    const [entry] = await consent.pendingReceipts();
    expect(verifyReceipt(entry!.jws).payload.x.event).toMatchObject({ type: 'refused', kind: 'decline' });
    expect(await consent.deadReceipts()).toEqual([]);
  });

  it('with storage "memory" touches no IndexedDB: receipts in memory, a session key', async () => {
    const consent = createConsent({ policy: fixturePolicy(), storage: 'memory' });
    await consent.agree();
    const [entry] = await consent.pendingReceipts();
    expect(verifyReceipt(entry!.jws).payload.x).toMatchObject({ signer: 'ephemeral', keyEphemeral: true });
    expect(await indexedDB.databases()).toEqual([]);
  });

  it('rejects bad receipt options by name', () => {
    expect(() => createConsent({ policy: fixturePolicy(), signer: {}, fetch: 'no', iss: '' } as never)).toThrow(/options\.iss: expected a non-empty string\noptions\.signer: expected an object with publicKey\(\) and sign\(data\)\noptions\.fetch: expected a function/);
  });
});
