import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConsentError } from '../../src/core/errors.js';
import { preparePolicy } from '../../src/core/policy-prepare.js';
import { createConsent } from '../../src/host/create-consent.js';
import { digestHex } from '../../src/host/digest.js';
import { fingerprint, seenPolicy } from '../../src/host/seen-policy.js';
import { fixturePolicy } from '../fixtures/policy.js';
import { withChangedPurpose } from '../helpers/state.js';

// Node has no localStorage: each test gets the Storage a webview gives a page.
class PageStorage {
  readonly #items = new Map<string, string>();
  get length() {
    return this.#items.size;
  }
  key = (index: number) => [...this.#items.keys()][index] ?? null;
  getItem = (key: string) => this.#items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.#items.set(key, String(value));
  removeItem = (key: string) => void this.#items.delete(key);
  clear = () => this.#items.clear();
}

let page: PageStorage;
const KEY = `inapp-consent/seen-policy/${fixturePolicy().policy.id}`;
const entry = () => JSON.parse(page.getItem(KEY)!) as { v: number; fp: string; sha: string; hashes: { policy: string } };
// Written after `ready`, in a task of its own (off the first dialog's path).
const written = (check: (remembered: ReturnType<typeof entry>) => boolean = () => true) => vi.waitFor(() => {
  if (!page.getItem(KEY) || !check(entry())) throw new Error('not remembered yet');
});

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  page = new PageStorage();
  vi.stubGlobal('localStorage', page);
});
afterEach(() => vi.unstubAllGlobals());

describe('a policy already seen on this device', () => {
  it('is remembered once validated and hashed, with the hashes receipts bind to', async () => {
    const consent = createConsent({ policy: fixturePolicy() });
    await consent.ready;
    const expected = preparePolicy(fixturePolicy()).hashes;
    await written();
    expect(entry().hashes).toEqual(expected);
    expect(entry().sha).toBe(await digestHex(JSON.stringify(fixturePolicy())));
    expect(consent.state.value.policyHash).toBe(expected.policy);
  });

  it('is not validated or hashed again at the next launch: the remembered hashes are used', async () => {
    await createConsent({ policy: fixturePolicy() }).ready;
    await written();
    // Marked, so that using them shows; the text and its SHA-256 still match.
    page.setItem(KEY, JSON.stringify({ ...entry(), hashes: { ...entry().hashes, policy: 'f'.repeat(64) } }));
    const next = createConsent({ policy: fixturePolicy() });
    await next.ready;
    expect(next.state.value.policyHash).toBe('f'.repeat(64));
  });

  it('a changed policy is validated again, and an invalid one still throws synchronously', async () => {
    await createConsent({ policy: fixturePolicy() }).ready;
    await written();
    const broken = fixturePolicy() as unknown as { purposes: { id: unknown }[] };
    broken.purposes[0]!.id = 7;
    expect(() => createConsent({ policy: broken })).toThrow(ConsentError);
    const changed = withChangedPurpose(fixturePolicy(), 'account', '账户与登录（新）');
    const consent = createConsent({ policy: changed });
    await consent.ready;
    expect(consent.state.value.policyHash).toBe(preparePolicy(changed).hashes.policy);
    await written((remembered) => remembered.hashes.policy === preparePolicy(changed).hashes.policy);
  });

  it('a fingerprint that matches while the SHA-256 does not is validated and hashed in full', async () => {
    const policy = fixturePolicy();
    page.setItem(KEY, JSON.stringify({ v: 1, fp: fingerprint(JSON.stringify(policy)), sha: '0'.repeat(64), hashes: { policy: 'f'.repeat(64), purposes: {}, separateConsents: {} } }));
    const consent = createConsent({ policy });
    await consent.ready;
    expect(consent.state.value.policyHash).toBe(preparePolicy(policy).hashes.policy);
    const sha = await digestHex(JSON.stringify(policy));
    await written((remembered) => remembered.sha === sha);
  });

  it('a forged collision with an invalid policy never works: ready and every action reject with invalid-policy', async () => {
    const forge = (broken: unknown) => page.setItem(KEY, JSON.stringify({ v: 1, fp: fingerprint(JSON.stringify(broken)), sha: '0'.repeat(64), hashes: preparePolicy(fixturePolicy()).hashes }));
    const broken = fixturePolicy() as unknown as { purposes: { id: unknown }[] };
    broken.purposes[0]!.id = 7;
    forge(broken);
    const consent = createConsent({ policy: broken });
    await expect(consent.ready).rejects.toMatchObject({ code: 'invalid-policy', message: expect.stringContaining('purposes[0].id: expected a string') });
    await expect(consent.agree()).rejects.toMatchObject({ code: 'invalid-policy' });
    expect(consent.isGranted('account')).toBe(false);
    // One the start cannot even read throws there, as an unvalidated policy would.
    const garbage = fixturePolicy() as unknown as { purposes: unknown };
    garbage.purposes = 'none';
    forge(garbage);
    expect(() => createConsent({ policy: garbage })).toThrow();
  });

  it('uses the JSON that was validated, not the host object (a getter or a Date changes nothing)', async () => {
    await createConsent({ policy: fixturePolicy() }).ready;
    await written();
    const policy = fixturePolicy();
    const title = policy.policy.title;
    Object.defineProperty(policy.policy, 'title', { get: () => title, enumerable: true });
    const consent = createConsent({ policy });
    await consent.ready;
    expect(Object.getOwnPropertyDescriptor(consent.policy.policy, 'title')).toMatchObject({ value: title });
    expect(consent.policy).toEqual(fixturePolicy());
  });

  it('takes the full path where localStorage throws (a sandboxed frame) or holds garbage', async () => {
    page.setItem(KEY, '{not json');
    const consent = createConsent({ policy: fixturePolicy() });
    await consent.ready;
    await written((remembered) => remembered.v === 1);
    expect(entry().hashes).toEqual(preparePolicy(fixturePolicy()).hashes);
    vi.stubGlobal('localStorage', { getItem: () => { throw new DOMException('denied', 'SecurityError'); }, setItem: () => { throw new DOMException('full', 'QuotaExceededError'); } });
    const sandboxed = createConsent({ policy: fixturePolicy() });
    await sandboxed.ready;
    expect(sandboxed.state.value.policyHash).toBe(preparePolicy(fixturePolicy()).hashes.policy);
    await new Promise((resolve) => setTimeout(resolve, 20)); // its refused write, before the next test's storage
  });

  it('leaves nothing in localStorage for storage: memory or a host store', async () => {
    await createConsent({ policy: fixturePolicy(), storage: 'memory' }).ready;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(page.length).toBe(0);
    const seen = seenPolicy(fixturePolicy(), false);
    expect(await seen.hashes(digestHex)).toEqual(preparePolicy(fixturePolicy()).hashes);
    expect(page.length).toBe(0);
  });
});
