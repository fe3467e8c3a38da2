import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { preparePolicy } from '../../src/core/policy-prepare.js';
import { sha256Hex } from '../../src/core/sha256.js';
import { recordKey } from '../../src/core/stored-record.js';
import { createConsent } from '../../src/host/create-consent.js';
import { digestHex } from '../../src/host/digest.js';
import { lazy } from '../../src/host/lazy.js';
import { createIndexedDbStore } from '../../src/storage/indexeddb.js';
import { fixturePolicy } from '../fixtures/policy.js';
import { withChangedPurpose } from '../helpers/state.js';

// What the start path does off the main thread or later (bench/RESULTS.md): the policy is
// hashed by WebCrypto while storage is read, and receipts and the bridge load after `ready`.
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const TEXTS = ['', 'abc', '个人信息保护指引', 'x'.repeat(55_870), '\u{1F600} and a lone \uD800 surrogate'];

describe('digestHex', () => {
  it('gives what the JS SHA-256 gives, by WebCrypto', async () => {
    for (const text of TEXTS) expect(await digestHex(text)).toBe(sha256Hex(text));
  });

  it('falls back to the JS SHA-256 where crypto.subtle is missing (insecure contexts) or refuses', async () => {
    vi.stubGlobal('crypto', { getRandomValues: crypto.getRandomValues.bind(crypto) });
    expect(await digestHex('abc')).toBe(sha256Hex('abc'));
    vi.stubGlobal('crypto', { subtle: { digest: () => Promise.reject(new Error('NotSupportedError')) } });
    expect(await digestHex('abc')).toBe(sha256Hex('abc'));
  });
});

describe('createConsent on its start path', () => {
  it('has the same hashes once ready as the synchronous preparePolicy (the values receipts bind to)', async () => {
    const consent = createConsent({ policy: fixturePolicy(), storage: 'memory' });
    await consent.ready;
    expect(consent.state.value.policyHash).toBe(preparePolicy(fixturePolicy()).hashes.policy);
  });

  it('compares a changed policy with the stored hashes, so only the changed purpose is asked again (CG-04)', async () => {
    const first = createConsent({ policy: fixturePolicy() });
    await first.ready;
    await first.agree();
    first.destroy();
    const changed = createConsent({ policy: withChangedPurpose(fixturePolicy(), 'account', '账户与登录（新）') });
    await changed.ready;
    expect(changed.state.value.pending.purposes).toEqual(['account']);
    const same = createConsent({ policy: fixturePolicy() });
    await same.ready;
    expect(same.needsConsent).toBe(false);
  });

  it('stores the decision and makes its receipt with the lazy receipts part', async () => {
    const consent = createConsent({ policy: fixturePolicy() });
    const errors: string[] = [];
    consent.on('error', (error) => errors.push(error.code));
    await consent.ready;
    await consent.agree();
    expect(await createIndexedDbStore().get(recordKey(fixturePolicy().policy.id))).toMatchObject({ decisions: { basic: { decision: 'agreed' } } });
    expect(await consent.pendingReceipts()).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});

describe('lazy', () => {
  it('loads once, shares the promise, and tries again after a failure', async () => {
    const load = vi.fn<() => Promise<number>>().mockRejectedValueOnce(new Error('offline')).mockResolvedValue(7);
    const part = lazy(load);
    await expect(part()).rejects.toThrow('offline');
    expect(await Promise.all([part(), part()])).toEqual([7, 7]);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
