import { describe, expect, it } from 'vitest';
import { EMPTY_DECISIONS, type Decisions } from '../../src/core/decision-types.js';
import { createRecord, readRecord, recordKey, type Unreceipted } from '../../src/core/stored-record.js';
import { mergeUnreceipted, reconcileStored } from '../../src/storage/merge-record.js';
import { saveDecisions } from '../../src/storage/save-decisions.js';
import { createResilientStore } from '../../src/storage/resilient-store.js';
import { createMemoryStore } from '../../src/storage/memory.js';

/*
 * The write-ahead list in the stored record (CG-05; issue 4 §4: receipt and outbox entry written
 * in one transaction before any send): decisions stored before their receipts exist. One key, so
 * the decision and its entry are one write; merged across tabs by event id.
 */

const KEY = recordKey('app');
const agreed: Decisions = { ...EMPTY_DECISIONS, basic: { decision: 'agreed', at: 1, policyHash: 'h', policyVersion: '1' } };
const entry = (id: string, at = 1): Unreceipted => ({
  event: { id, kind: 'agree', surface: 'first_launch', at, policyId: 'app', policyVersion: '1', policyHash: 'h', changes: [{ scope: 'purpose', id: 'p', granted: true, hash: 'x' }] },
  before: EMPTY_DECISIONS,
  after: agreed,
});
const ids = (list: readonly Unreceipted[] | undefined) => (list ?? []).map((item) => item.event.id);

describe('the stored record with unreceipted decisions', () => {
  it('reads records written before the list existed (version 1, no field), and writes none while it is empty', () => {
    const old = { v: 1, policyId: 'app', savedAt: 1, decisions: agreed };
    expect(readRecord(old)).toEqual({ kind: 'ok', record: old });
    expect(createRecord('app', agreed, 1, [])).toEqual(old);
  });

  it('reads a record with listed decisions; a list that is no list makes the record unreadable, a damaged entry does not (it is reported and kept where receipts are made)', () => {
    const record = createRecord('app', agreed, 1, [entry('a')]);
    expect(readRecord(structuredClone(record))).toEqual({ kind: 'ok', record });
    expect(readRecord({ ...record, unreceipted: 'a' })).toMatchObject({ kind: 'corrupt', problems: [{ path: 'unreceipted', message: 'expected an array' }] });
    expect(readRecord({ ...record, unreceipted: [null] })).toMatchObject({ kind: 'ok', record: { decisions: agreed } });
    expect(readRecord({ ...record, unreceipted: [], extra: 1 })).toMatchObject({ kind: 'corrupt', problems: [{ path: 'extra' }] });
  });

  it('saveDecisions writes the decision and its entries in one write, keeping another writer\'s entries (union by event id)', async () => {
    const store = createMemoryStore();
    await store.set(KEY, createRecord('app', agreed, 1, [entry('theirs')]));
    const calls: string[] = [];
    const counted = {
      ...store,
      get: (key: string) => (calls.push('get'), store.get(key)),
      set: (key: string, value: unknown) => (calls.push('set'), store.set(key, value)),
      update: (key: string, change: (current: unknown) => unknown) => (calls.push('update'), store.update!(key, change)),
    };
    const saved = await saveDecisions(counted, 'app', agreed, agreed, 2, [entry('ours')]);
    // Read and written in one update (one IndexedDB transaction), never a get then a set.
    expect(calls).toEqual(['update']);
    expect(saved.kind === 'saved' && ids(saved.unreceipted)).toEqual(['theirs', 'ours']);
    const read = readRecord(await store.get(KEY));
    expect(read.kind === 'ok' && ids(read.record.unreceipted)).toEqual(['theirs', 'ours']);

    // A host's own store without `update` (through the resilient store, as the instance uses
    // it): a read, then one write, with the same result.
    const plain = createMemoryStore();
    await plain.set(KEY, createRecord('app', agreed, 1, [entry('theirs')]));
    const hostCalls: string[] = [];
    const host = { kind: 'custom' as const, get: (key: string) => (hostCalls.push('get'), plain.get(key)), set: (key: string, value: unknown) => (hostCalls.push('set'), plain.set(key, value)), del: plain.del };
    const hostSaved = await saveDecisions(createResilientStore(host, () => undefined), 'app', agreed, agreed, 2, [entry('ours')]);
    expect(hostCalls).toEqual(['get', 'set']);
    expect(hostSaved).toEqual(saved);
  });

  it('merges lists by event id: ours first, then the other side\'s (an entry taken off on one side may come back: its jti is in the log, so it is never receipted twice)', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((id) => entry(id));
    expect(ids(mergeUnreceipted([a!, b!], [b!, c!]))).toEqual(['b', 'c', 'a']);
    const ours = [a!];
    expect(mergeUnreceipted([a!], ours)).toEqual(ours);
    // A damaged entry (checked where receipts are made) does not break a write-back.
    expect(mergeUnreceipted([null as never], ours)).toEqual([a, null]);
  });

  it('the storage write-back (a failing store answering again) keeps both sides\' entries', () => {
    const base = createRecord('app', agreed, 1, [entry('a')]);
    const onPrimary = createRecord('app', agreed, 2, [entry('a'), entry('other-tab')]);
    const ours = createRecord('app', agreed, 3, [entry('mine')]);
    const merged = readRecord(reconcileStored(KEY, onPrimary, ours, base));
    expect(merged.kind === 'ok' && ids(merged.record.unreceipted)).toEqual(['mine', 'a', 'other-tab']);
    expect(reconcileStored(KEY, createRecord('app', agreed, 2, []), ours, base)).toBe(ours);
  });
});
