import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_DECISIONS, type Decisions } from '../../src/core/decision-types.js';
import type { ConsentError } from '../../src/core/errors.js';
import { readRecord, recordKey } from '../../src/core/stored-record.js';
import { mergeDecisions } from '../../src/storage/merge-record.js';
import { createConsent } from '../../src/host/create-consent.js';
import { createMemoryStore } from '../../src/storage/memory.js';
import { fixturePolicy } from '../fixtures/policy.js';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

const T0 = Date.UTC(2026, 10, 22, 12);

/** Two webviews (or tabs) of one origin: one store, each instance with its own clock reading. */
function twoTabs() {
  const disk = createMemoryStore();
  const storage = { kind: 'custom' as const, get: disk.get, set: disk.set, del: disk.del };
  let clock = T0;
  const tick = () => (clock += 1000);
  const open = () => createConsent({ policy: fixturePolicy(), storage, subject: 'pseudonym', now: tick });
  return { disk, open };
}

describe('a record another tab wrote mid-session', () => {
  it('CG-05: is merged, not overwritten: decisions from both tabs survive, in the record and in the later writer', async () => {
    const { disk, open } = twoTabs();
    const a = open();
    const b = open();
    await Promise.all([a.ready, b.ready]);
    await a.agree();
    await a.grant('marketing');
    // B still holds the state it read at start (undecided); its decisions must not erase A's.
    await b.agree();
    await b.recordPermission('location', 'denied');
    const stored = readRecord(await disk.get(recordKey('fixture-app')));
    expect(stored).toMatchObject({ kind: 'ok', record: { decisions: { basic: { decision: 'agreed' }, purposes: { marketing: { granted: true } }, permissions: { location: { status: 'denied' } } } } });
    expect(b.isGranted('marketing')).toBe(true); // B now shows what A decided
    const restarted = open();
    await restarted.ready;
    expect(restarted.isGranted('marketing')).toBe(true);
    expect(restarted.state.value.permissions).toEqual({ location: 'denied' });
    for (const instance of [a, b, restarted]) instance.destroy();
  });

  it('CG-05, WD-01: where both tabs decided the same thing, the later decision wins', async () => {
    const { disk, open } = twoTabs();
    const a = open();
    const b = open();
    await Promise.all([a.ready, b.ready]);
    await a.agree();
    await b.agree();
    await b.grant('marketing');
    await a.withdraw('marketing'); // later than B's grant: stands
    expect(readRecord(await disk.get(recordKey('fixture-app')))).toMatchObject({ kind: 'ok', record: { decisions: { purposes: { marketing: { granted: false } } } } });
    await b.grant('face_consent'); // B's stale marketing grant is older than A's withdrawal
    expect(b.isGranted('marketing')).toBe(false);
    expect(readRecord(await disk.get(recordKey('fixture-app')))).toMatchObject({
      kind: 'ok', record: { decisions: { purposes: { marketing: { granted: false } }, separateConsents: { face_consent: { granted: true } } } },
    });
    a.destroy();
    b.destroy();
  });

  it('a tab open while another decides sees the decision at once (BroadcastChannel per policy), publishes it, and makes no receipt of its own', async () => {
    const { open } = twoTabs();
    const a = open();
    const b = open();
    await Promise.all([a.ready, b.ready]);
    const changes: boolean[] = [];
    b.subscribe((snapshot) => changes.push(snapshot.needsConsent));
    const decided: unknown[] = [];
    b.on('decision', (event) => decided.push(event));
    await a.agree();
    await a.grant('marketing');
    for (let tries = 0; tries < 100 && !b.isGranted('marketing'); tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect([b.needsConsent, b.isGranted('marketing')]).toEqual([false, true]);
    expect(changes).toContain(false);
    expect(decided).toEqual([]);
    // One receipt per decision, made by the deciding tab (both share the device's receipt log).
    expect(await b.pendingReceipts()).toHaveLength(2);
    // A later decision in A that B has adopted is not undone by B's next save.
    await a.withdraw('marketing');
    for (let tries = 0; tries < 100 && b.isGranted('marketing'); tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    await b.recordPermission('location', 'denied');
    expect([a.isGranted('marketing'), b.isGranted('marketing')]).toEqual([false, false]);
    expect(await b.pendingReceipts()).toHaveLength(4);
    a.destroy();
    b.destroy();
  });

  it('CG-05: of a newer SDK version is never overwritten: this session goes on in memory and says so', async () => {
    const { disk, open } = twoTabs();
    const a = open();
    const errors: ConsentError[] = [];
    a.on('error', (error) => errors.push(error));
    await a.ready;
    const newer = { v: 2, policyId: 'fixture-app', written: 'by a newer SDK in another webview' };
    await disk.set(recordKey('fixture-app'), newer);
    await a.agree();
    await a.grant('marketing');
    expect(await disk.get(recordKey('fixture-app'))).toEqual(newer);
    expect(a.isGranted('marketing')).toBe(true);
    expect(a.state.value.storageDegraded).toBe(true);
    expect(errors.map((error) => error.code)).toEqual(['storage-record-unknown-version']);
    a.destroy();
  });
});

describe('mergeDecisions', () => {
  const grant = (granted: boolean, at: number) => ({ granted, hash: 'h', at });
  const with_ = (at: number, purposes: Decisions['purposes']): Decisions => ({ ...EMPTY_DECISIONS, basic: { decision: 'agreed', at }, purposes });

  it('CG-05: returns ours untouched when the record holds nothing else (a lone writer), even if our clock went back', () => {
    const base = with_(5000, { marketing: grant(true, 5000) });
    const ours = with_(5000, { marketing: grant(false, 1000) }); // the device clock was set back
    expect(mergeDecisions(base, base, ours)).toBe(ours);
  });

  it('keeps ids such as __proto__ as data', () => {
    const stored = with_(1, JSON.parse('{"__proto__": {"granted": true, "hash": "h", "at": 9}}') as Decisions['purposes']);
    const merged = mergeDecisions(undefined, stored, with_(1, {}));
    expect(Object.hasOwn(merged.purposes, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(merged.purposes)).toBe(Object.prototype);
  });
});
