import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_DECISIONS, type Decisions } from '../../src/core/decision-types.js';
import type { ConsentError } from '../../src/core/errors.js';
import type { AtomicStore, KeyValueStore } from '../../src/core/ports.js';
import { createRecord, readRecord, recordKey } from '../../src/core/stored-record.js';
import { createIndexedDbStore } from '../../src/storage/indexeddb.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { createResilientStore } from '../../src/storage/resilient-store.js';
import { saveDecisions } from '../../src/storage/save-decisions.js';

// A save reads the stored record, merges and writes it back. Done as one readwrite transaction,
// no other tab's write can land between the read and the write (SECURITY.md, "tabs").

const KEY = recordKey('app');
const decided = (at: number, purposes: Decisions['purposes']): Decisions => ({
  ...EMPTY_DECISIONS, basic: { decision: 'agreed', at, policyHash: 'h', policyVersion: '1' }, purposes,
});

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

describe('IndexedDB update: read and write in one transaction', () => {
  it('writes what `change` returns for what was stored, and resolves with it', async () => {
    const store = createIndexedDbStore('atomic-1');
    await store.set('n', 1);
    expect(await store.update!('n', (current) => (current as number) + 1)).toBe(2);
    expect(await store.get('n')).toBe(2);
    expect(await store.update!('missing', (current) => current ?? 'first')).toBe('first');
  });

  it('writes nothing when `change` throws, and rejects with what it threw', async () => {
    const store = createIndexedDbStore('atomic-2');
    await store.set('n', 1);
    const refusal = new Error('not this one');
    await expect(store.update!('n', () => { throw refusal; })).rejects.toBe(refusal);
    expect(await store.get('n')).toBe(1);
    // A value IndexedDB cannot store rejects too, and writes nothing.
    await expect(store.update!('n', () => () => 'a function')).rejects.toThrow();
    expect(await store.get('n')).toBe(1);
  });

  it('two updates at once both land: the second reads what the first wrote', async () => {
    const store = createIndexedDbStore('atomic-3');
    await store.set('list', []);
    await Promise.all(['a', 'b', 'c'].map((item) => store.update!('list', (current) => [...(current as string[]), item])));
    expect(await store.get('list')).toEqual(['a', 'b', 'c']);
  });
});

describe('saveDecisions through update', () => {
  it('CG-05: merges with another writer\'s record in the same transaction, loading the merge code once', async () => {
    const store = createIndexedDbStore('atomic-4');
    const base = decided(1, {});
    // Another tab stored a purpose since this instance last saw the record.
    await store.set(KEY, createRecord('app', decided(1, { nearby: { granted: true, hash: 'x', at: 2 } }), 2, []));
    let updates = 0;
    const counted: AtomicStore = { ...store, update: (key, change) => (updates++, store.update(key, change)) };
    const saved = await saveDecisions(counted, 'app', base, decided(1, { marketing: { granted: true, hash: 'x', at: 3 } }), 3);
    expect(saved.kind).toBe('saved');
    // The first update found a record to merge (no write), the second wrote the merge.
    expect(updates).toBe(2);
    const read = readRecord(await store.get(KEY));
    expect(read.kind === 'ok' && Object.keys(read.record.decisions.purposes).sort()).toEqual(['marketing', 'nearby']);
  });

  it('CG-05: never overwrites a record of a newer SDK', async () => {
    const store = createIndexedDbStore('atomic-5');
    const newer = { v: 99, policyId: 'app', anything: true };
    await store.set(KEY, newer);
    expect(await saveDecisions(store, 'app', EMPTY_DECISIONS, decided(1, {}), 1)).toEqual({ kind: 'newer', version: 99 });
    expect(await store.get(KEY)).toEqual(newer);
  });
});

describe('resilient store update', () => {
  it('a `change` that refuses is the caller\'s answer, not a storage failure: nothing reported, nothing degraded', async () => {
    const errors: ConsentError[] = [];
    const store = createResilientStore(createIndexedDbStore('atomic-6'), (error) => errors.push(error), 50);
    const refusal = new Error('newer record');
    await expect(store.update!('k', () => { throw refusal; })).rejects.toBe(refusal);
    expect(errors).toEqual([]);
    expect(store.degraded).toBe(false);
  });

  it('CG-05: a failing primary keeps the update in memory, reports once, and writes it back when the primary answers', async () => {
    const disk = createMemoryStore();
    let failing = true;
    const primary: KeyValueStore = {
      kind: 'custom',
      get: (key) => (failing ? Promise.reject(new Error('quota')) : disk.get(key)),
      set: (key, value) => (failing ? Promise.reject(new Error('quota')) : disk.set(key, value)),
      del: (key) => disk.del(key),
      update: (key, change) => (failing ? Promise.reject(new Error('quota')) : disk.update!(key, change)),
    };
    const errors: ConsentError[] = [];
    const store = createResilientStore(primary, (error) => errors.push(error), 50);
    expect(await store.update!('n', (current) => (current ?? 0) as number + 1)).toBe(1);
    expect(errors.map((error) => error.code)).toEqual(['storage-write-failed']);
    expect(store.degraded).toBe(true);
    expect(await store.get('n')).toBe(1);
    failing = false;
    expect(await store.update!('n', (current) => (current as number) + 1)).toBe(2);
    expect(store.degraded).toBe(false);
    expect(await disk.get('n')).toBe(2);
  });

  it('falls back to a read and a write on a host store without update', async () => {
    const disk = createMemoryStore();
    const calls: string[] = [];
    const host: KeyValueStore = { kind: 'custom', get: (key) => (calls.push('get'), disk.get(key)), set: (key, value) => (calls.push('set'), disk.set(key, value)), del: disk.del };
    const store = createResilientStore(host, () => undefined, 50);
    expect(await store.update!('n', () => 5)).toBe(5);
    expect(calls).toEqual(['get', 'set']);
  });
});

describe('opening IndexedDB early', () => {
  it('warm() opens the database at once, so createConsent can start it before validating the policy; without IndexedDB it stays silent and the first read reports', async () => {
    const opened: string[] = [];
    const factory = globalThis.indexedDB;
    const open = factory.open.bind(factory);
    factory.open = (name: string, version?: number) => (opened.push(name), open(name, version));
    const store = createIndexedDbStore('warm-1');
    store.warm();
    expect(opened).toEqual(['warm-1']);
    await store.set('k', 1);
    expect(await store.get('k')).toBe(1);
    expect(opened).toEqual(['warm-1']); // the same connection serves the reads

    const saved = globalThis.indexedDB;
    // @ts-expect-error: a context without IndexedDB
    delete globalThis.indexedDB;
    try {
      const missing = createIndexedDbStore('warm-2');
      expect(() => missing.warm()).not.toThrow();
      await expect(missing.get('k')).rejects.toThrow('IndexedDB is not available');
    } finally {
      globalThis.indexedDB = saved;
    }
  });
});
