import { describe, expect, it } from 'vitest';
import { EMPTY_DECISIONS, type Decisions } from '../../src/core/decision-types.js';
import type { ConsentError } from '../../src/core/errors.js';
import type { KeyValueStore } from '../../src/core/ports.js';
import { createRecord, INSTALL_ID_KEY, readRecord, recordKey } from '../../src/core/stored-record.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { createResilientStore } from '../../src/storage/resilient-store.js';

type Mode = 'ok' | 'rejects' | 'throws' | 'hangs';

/** A primary whose failure mode the test switches, with its data and call counts visible. */
function switchable() {
  const disk = createMemoryStore();
  const calls = { get: 0, set: 0, del: 0 };
  const control = { mode: 'ok' as Mode };
  const run = <T>(op: keyof typeof calls, work: () => Promise<T>): Promise<T> => {
    calls[op]++;
    if (control.mode === 'throws') throw new TypeError('indexedDB is not defined');
    if (control.mode === 'rejects') return Promise.reject(new DOMException('Quota exceeded', 'QuotaExceededError'));
    if (control.mode === 'hangs') return new Promise<T>(() => {});
    return work();
  };
  const primary: KeyValueStore = {
    kind: 'custom',
    get: (key) => run('get', () => disk.get(key)),
    set: (key, value) => run('set', () => disk.set(key, value)),
    del: (key) => run('del', () => disk.del(key)),
  };
  return { primary, disk, calls, control };
}

const decided = (at: number, purposes: Decisions['purposes']): Decisions => ({
  ...EMPTY_DECISIONS, basic: { decision: 'agreed', at, policyHash: 'h', policyVersion: '1' }, purposes,
});

describe('createResilientStore: failure episodes', () => {
  it('CG-05: keeps retrying the primary on later writes, reporting once per episode, and writes back what memory kept when it answers', async () => {
    const { primary, disk, control } = switchable();
    const errors: ConsentError[] = [];
    const store = createResilientStore(primary, (error) => errors.push(error), 20);
    control.mode = 'rejects';
    await store.set('a', 1);
    await store.set('b', 2);
    await store.del('c');
    expect(store.degraded).toBe(true);
    expect(errors.map((error) => error.code)).toEqual(['storage-write-failed']);
    expect(await store.get('a')).toBe(1); // memory serves what it kept
    control.mode = 'ok';
    await store.set('d', 4);
    expect(store.degraded).toBe(false);
    expect([await disk.get('a'), await disk.get('b'), await disk.get('d')]).toEqual([1, 2, 4]);
    // A later failure is a new episode, reported again.
    control.mode = 'throws';
    await store.set('a', 10);
    expect(errors.map((error) => error.code)).toEqual(['storage-write-failed', 'storage-write-failed']);
    control.mode = 'ok';
    expect(await store.get('a')).toBe(10); // reading a key kept in memory writes it back first
    expect(await disk.get('a')).toBe(10);
  });

  it('CG-05: does not wait on a primary that hangs: while that call is unsettled, calls go to memory at once', async () => {
    const { primary, calls, control } = switchable();
    const errors: ConsentError[] = [];
    const store = createResilientStore(primary, (error) => errors.push(error), 20);
    control.mode = 'hangs';
    await store.set('a', 1); // waits the 20 ms once
    const started = Date.now();
    for (let i = 0; i < 5; i++) await store.set('a', i);
    expect(Date.now() - started).toBeLessThan(20 * 5);
    expect(calls.set).toBe(1);
    expect(await store.get('a')).toBe(4);
    expect(store.degraded).toBe(true);
    expect(errors).toHaveLength(1);
  });

  it('CG-05: writes back a decisions record merged with what another tab stored on the primary meanwhile', async () => {
    const { primary, disk, control } = switchable();
    const store = createResilientStore(primary, () => {}, 20);
    const key = recordKey('app');
    const grant = (at: number) => ({ granted: true, hash: 'x', at });
    await store.set(key, createRecord('app', decided(1, {}), 1));
    control.mode = 'rejects';
    await store.set(key, createRecord('app', decided(1, { marketing: grant(5) }), 5)); // ours, kept in memory
    await disk.set(key, createRecord('app', decided(1, { survey: grant(6) }), 6)); // another tab, straight to disk
    control.mode = 'ok';
    await store.set('other', true);
    const stored = readRecord(await disk.get(key));
    expect(stored.kind === 'ok' && Object.keys(stored.record.decisions.purposes).sort()).toEqual(['marketing', 'survey']);
  });

  it('CG-05: never writes back over a record of a newer SDK, and keeps the install id already stored (a stable pseudonym)', async () => {
    const { primary, disk, control } = switchable();
    const store = createResilientStore(primary, () => {}, 20);
    control.mode = 'rejects';
    expect(await store.get(INSTALL_ID_KEY)).toBeUndefined(); // the read failed: a new id is made
    await store.set(INSTALL_ID_KEY, 'new-id');
    await store.set(recordKey('app'), createRecord('app', decided(1, {}), 1));
    await disk.set(INSTALL_ID_KEY, 'id-of-earlier-launches');
    await disk.set(recordKey('app'), { v: 99, future: true });
    control.mode = 'ok';
    await store.set('other', 1);
    expect(await disk.get(INSTALL_ID_KEY)).toBe('id-of-earlier-launches');
    expect(await disk.get(recordKey('app'))).toEqual({ v: 99, future: true });
  });
});
