import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ConsentError } from '../../src/core/errors.js';
import type { KeyValueStore } from '../../src/core/ports.js';
import { recordKey } from '../../src/core/stored-record.js';
import { createConsent } from '../../src/host/create-consent.js';
import { createIndexedDbStore } from '../../src/storage/indexeddb.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { createResilientStore } from '../../src/storage/resilient-store.js';
import { fixturePolicy } from '../fixtures/policy.js';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

const collectErrors = (consent: ReturnType<typeof createConsent>) => {
  const errors: ConsentError[] = [];
  consent.on('error', (error) => errors.push(error));
  return errors;
};

/** A store whose calls fail as IndexedDB does in private mode or over quota. */
function failingStore(failOn: 'get' | 'set'): KeyValueStore & { sets: number } {
  const inner = createMemoryStore();
  const store = {
    kind: 'custom' as const,
    sets: 0,
    get: (key: string) => (failOn === 'get' ? Promise.reject(new DOMException('The operation failed', 'InvalidStateError')) : inner.get(key)),
    set: (key: string, value: unknown) => {
      store.sets++;
      return failOn === 'set' ? Promise.reject(new DOMException('Quota exceeded', 'QuotaExceededError')) : inner.set(key, value);
    },
    del: inner.del,
  };
  return store;
}

describe('storage faults', () => {
  it('falls back to memory when IndexedDB is missing, reports it, and keeps every decision', async () => {
    // @ts-expect-error: simulating a webview without IndexedDB
    delete globalThis.indexedDB;
    const consent = createConsent({ policy: fixturePolicy() });
    const errors = collectErrors(consent);
    await consent.ready;
    await consent.agree();
    await consent.grant('marketing');
    expect(consent.isGranted('marketing')).toBe(true);
    expect(consent.state.value.storageDegraded).toBe(true);
    expect(errors.map((error) => error.code)).toEqual(['storage-unavailable']);
  });

  it('CG-05: keeps the decision in memory when every write fails over quota, retries the primary at later writes and reports once', async () => {
    const store = failingStore('set');
    const consent = createConsent({ policy: fixturePolicy(), storage: store, subject: 'pseudonym' });
    const errors = collectErrors(consent);
    await consent.agree();
    await consent.grant('marketing');
    expect(consent.isGranted('marketing')).toBe(true);
    expect(errors.map((error) => error.code)).toEqual(['storage-write-failed']);
    expect(store.sets).toBeGreaterThan(1); // later writes try the primary again: the failure may be transient
    expect(consent.state.value.storageDegraded).toBe(true);
  });

  it('CG-05: after one transient write error, later decisions still reach the primary and survive a restart (nothing decided is lost)', async () => {
    const disk = createMemoryStore();
    let failNext = false;
    const flaky: KeyValueStore & { sets: number } = {
      kind: 'custom', sets: 0, get: disk.get, del: disk.del,
      set(key, value) {
        this.sets++;
        if (failNext) {
          failNext = false;
          return Promise.reject(new DOMException('Quota exceeded', 'QuotaExceededError'));
        }
        return disk.set(key, value);
      },
    };
    const first = createConsent({ policy: fixturePolicy(), storage: flaky, subject: 'pseudonym' });
    const errors = collectErrors(first);
    await first.ready;
    failNext = true;
    await first.agree(); // this write fails: kept in memory
    expect(first.state.value.storageDegraded).toBe(true);
    await first.grant('marketing'); // the primary answers again: the latest record goes there
    expect(errors.map((error) => error.code)).toEqual(['storage-write-failed']);
    first.destroy();

    const restarted = createConsent({ policy: fixturePolicy(), storage: flaky, subject: 'pseudonym' });
    await restarted.ready;
    expect(restarted.state.value.decision).toBe('agreed');
    expect(restarted.isGranted('marketing')).toBe(true);
    expect(restarted.state.value.storageDegraded).toBe(false);
    restarted.destroy();
  });

  it('does not hang when opening the database never settles (blocked open)', async () => {
    const never: KeyValueStore = { kind: 'custom', get: () => new Promise(() => {}), set: () => new Promise(() => {}), del: () => new Promise(() => {}) };
    const errors: ConsentError[] = [];
    const store = createResilientStore(never, (error) => errors.push(error), 20);
    expect(await store.get('k')).toBeUndefined();
    await store.set('k', 1);
    expect(await store.get('k')).toBe(1);
    expect(store.degraded).toBe(true);
    expect(errors).toHaveLength(1);
  });

  it('never throws into the host when reading fails', async () => {
    const consent = createConsent({ policy: fixturePolicy(), storage: failingStore('get') });
    const errors = collectErrors(consent);
    await expect(consent.ready).resolves.toBeUndefined();
    expect(consent.needsConsent).toBe(true);
    expect(errors[0]?.code).toBe('storage-unavailable');
  });

  it('leaves a record written by a newer SDK untouched and works in memory', async () => {
    const idb = createIndexedDbStore();
    const newer = { v: 99, policyId: 'fixture-app', somethingNew: true };
    await idb.set(recordKey('fixture-app'), newer);
    const consent = createConsent({ policy: fixturePolicy() });
    const errors = collectErrors(consent);
    await consent.ready;
    await consent.agree();
    expect(consent.isGranted('account')).toBe(true);
    expect(await idb.get(recordKey('fixture-app'))).toEqual(newer);
    expect(errors.map((error) => error.code)).toEqual(['storage-record-unknown-version']);
  });

  it('sets a corrupted record aside, reports it and starts over', async () => {
    const store = createMemoryStore();
    await store.set(recordKey('fixture-app'), { v: 1, policyId: 'fixture-app', savedAt: 1, decisions: { basic: 'yes', purposes: {}, separateConsents: {}, permissions: {} } });
    const consent = createConsent({ policy: fixturePolicy(), storage: store, now: () => 1000 });
    const errors = collectErrors(consent);
    await consent.ready;
    expect(errors.map((error) => error.code)).toEqual(['storage-record-corrupt']);
    expect(errors[0]?.message).toMatch(/decisions\.basic/);
    expect(await store.get(`${recordKey('fixture-app')}/corrupt/1000`)).toMatchObject({ decisions: { basic: 'yes' } });
    expect(consent.needsConsent).toBe(true);
  });
});

describe('memory store', () => {
  it('clones values so stored state cannot be mutated from outside', async () => {
    const store = createMemoryStore();
    const value = { a: [1] };
    await store.set('k', value);
    value.a.push(2);
    expect(await store.get('k')).toEqual({ a: [1] });
  });
});
